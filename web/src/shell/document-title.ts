import { useEffect } from 'react';
import { t } from '../i18n';

/**
 * Each page's window title is its heading, then the institution (WCAG 2.4.2 Page Titled): a tab
 * list, a screen reader's window announcement and the browser's history say which page it is.
 * Pages load lazily and headings change with their data (a class's name), so the title follows
 * the document's first h1 as it appears and changes, instead of every page setting its own.
 */
export function useDocumentTitle(institutionName?: string): void {
  useEffect(() => {
    const suffix = institutionName ?? t('app.name');
    const update = () => {
      const heading = document.querySelector('h1')?.textContent?.trim();
      const title = heading ? `${heading} · ${suffix}` : suffix;
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [institutionName]);
}
