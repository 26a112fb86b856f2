import { en, type MessageKey, type Messages } from './en';

export type { MessageKey } from './en';

let messages: Messages = en;

/**
 * Swaps the language (a translation file with the same keys); English fills nothing in: keys are
 * required. `lang` (a BCP 47 tag such as "de") is set on the document, so screen readers speak it
 * in that language and the browser hyphenates and spell-checks it as such.
 */
export function setMessages(translation: Messages, lang: string): void {
  messages = translation;
  document.documentElement.lang = lang;
}

/** The text for `key`, with `{name}` placeholders filled from `values`. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const text = messages[key];
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}
