/**
 * For component tests under happy-dom: Mantine asks for the colour scheme (matchMedia) and watches
 * sizes (ResizeObserver), neither of which happy-dom has. Call once in `beforeAll`.
 */
export function stubBrowserApis(): void {
  window.matchMedia = ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as typeof window.matchMedia;
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
}
