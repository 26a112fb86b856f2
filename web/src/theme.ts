import { createTheme } from '@mantine/core';
import { t } from './i18n';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Darker shades than Mantine's default keep white text on buttons and filled badges above WCAG
  // AA contrast (4.5:1; white on red.7 is 3.8:1, on red.9 5.4:1) ...
  primaryShade: 9,
  // ... and where white cannot reach it on a light colour (yellow, orange), the text turns dark.
  autoContrast: true,
  luminanceThreshold: 0.25,
  defaultRadius: 'md',
  // Mantine's close buttons are an icon without a name (axe: button-name); every dialog's gets one.
  // Plain objects, not Modal.extend(): importing Modal here put it and floating-ui (36 KB gzipped)
  // into the initial JavaScript of every page.
  components: {
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('app.close') } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': t('app.close') } } },
  },
});
