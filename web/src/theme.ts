import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Darker shades than Mantine's default keep white text on buttons above WCAG AA contrast.
  primaryShade: 7,
  defaultRadius: 'md',
});
