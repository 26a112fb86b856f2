import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';

/**
 * Every text the app shows goes through t() and every English text is shown somewhere: read from
 * the sources with the TypeScript parser (no type checker needed: t() itself only takes a
 * MessageKey, so the compiler already refuses a key that does not exist).
 */

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Props whose string a person reads or hears (Mantine's and ARIA's), and the same names in option objects ({ value, label }). */
const VISIBLE_PROPS = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'alt',
  'title',
  'placeholder',
  'label',
  'description',
  'error',
  'message',
  'confirmLabel',
  'cancelLabel',
  'nothingFoundMessage',
  'emptyMessage',
  'caption',
  'legend',
  'tooltip',
  'text',
]);

/** Literal texts that are rightly not translated, each with why (none yet: symbols and punctuation pass by having no letters). */
const ALLOWED_LITERALS: Record<string, string> = {};

const HAS_LETTERS = /\p{L}/u;

/** The app's sources, tests and the texts themselves left out. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return file === path.join(SRC, 'i18n') ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

const files = sourceFiles().map((file) => ({
  name: path.relative(SRC, file),
  source: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS),
}));

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
}

function where(source: ts.SourceFile, node: ts.Node): string {
  return `${path.relative(SRC, source.fileName)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
}

const isKey = (text: string) => Object.hasOwn(en, text);
const isAllowed = (text: string) => !HAS_LETTERS.test(text) || isKey(text) || Object.hasOwn(ALLOWED_LITERALS, text.trim());

/** The letters-bearing literal parts of a string or template expression given where a text is shown. */
function literalText(node: ts.Node): string | null {
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return isAllowed(node.text) ? null : node.text;
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…');
    return isAllowed(parts) ? null : parts;
  }
  if (ts.isConditionalExpression(node)) return literalText(node.whenTrue) ?? literalText(node.whenFalse);
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) {
    return literalText(node.left) ?? literalText(node.right);
  }
  return null;
}

const propName = (name: ts.Node) => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : ts.isJsxNamespacedName(name) ? `${name.namespace.text}:${name.name.text}` : '');

describe('i18n coverage of the sources', () => {
  it('shows no English written into JSX: every text is {t(...)}', () => {
    const findings: string[] = [];
    for (const { source } of files) {
      walk(source, (node) => {
        if (ts.isJsxText(node) && !isAllowed(node.text)) findings.push(`${where(source, node)} text "${node.text.trim()}"`);
        // {'Hello'} or {`Hello ${name}`} as a child.
        if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
          const text = literalText(node.expression);
          if (text !== null) findings.push(`${where(source, node)} text "${text}"`);
        }
      });
    }
    expect(findings).toEqual([]);
  });

  it('passes no literal text to a prop people read or hear (aria-label, title, label, …) or to an option label', () => {
    const findings: string[] = [];
    for (const { source } of files) {
      walk(source, (node) => {
        if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(propName(node.name)) && node.initializer) {
          const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
          const text = value ? literalText(value) : null;
          if (text !== null) findings.push(`${where(source, node)} ${propName(node.name)}="${text}"`);
        }
        if (ts.isPropertyAssignment(node) && VISIBLE_PROPS.has(propName(node.name)) && ts.isObjectLiteralExpression(node.parent)) {
          const text = literalText(node.initializer);
          if (text !== null) findings.push(`${where(source, node)} ${propName(node.name)}: "${text}"`);
        }
      });
    }
    expect(findings).toEqual([]);
  });

  it('calls t() with a key the compiler checks: written out, or built by a typed template (no `as MessageKey`)', () => {
    const findings: string[] = [];
    const checked = (node: ts.Expression): boolean =>
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      // A key held in a variable, a field or returned by a function: its type says which keys it can be.
      ts.isIdentifier(node) ||
      ts.isPropertyAccessExpression(node) ||
      ts.isCallExpression(node) ||
      (ts.isParenthesizedExpression(node) && checked(node.expression)) ||
      (ts.isConditionalExpression(node) && checked(node.whenTrue) && checked(node.whenFalse));
    for (const { source } of files) {
      walk(source, (node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't') {
          const [key] = node.arguments;
          if (!key || !checked(key)) findings.push(`${where(source, node)} t(${key?.getText(source) ?? ''})`);
        }
        // A cast would let any string through as a key; hasMessage() is the checked way for a key from the server.
        if (ts.isAsExpression(node) && node.type.getText(source) === 'MessageKey') findings.push(`${where(source, node)} ${node.getText(source)}`);
      });
    }
    expect(findings).toEqual([]);
  });

  it('uses every English text somewhere (as a literal key, or matched by a template key such as `role.${role}`)', () => {
    const keys = Object.keys(en);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const literals = new Set<string>();
    const templates: RegExp[] = [];
    for (const { source } of files) {
      const fileLiterals = new Set<string>();
      const fileTemplates: ts.TemplateExpression[] = [];
      walk(source, (node) => {
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) fileLiterals.add(node.text);
        if (ts.isTemplateExpression(node)) fileTemplates.push(node);
      });
      fileLiterals.forEach((literal) => literals.add(literal));
      for (const template of fileTemplates) {
        const rest = template.templateSpans.map((span) => escape(span.literal.text)).join('[\\w-]+');
        if (/^[a-zA-Z]+\./.test(template.head.text)) {
          templates.push(new RegExp(`^${escape(template.head.text)}[\\w-]+${rest}$`));
        } else if (template.head.text === '') {
          // `${prefix}.${code}`: the prefixes are written in the same file ('activity.action' | 'activity.target').
          const prefixes = [...fileLiterals].filter((literal) => keys.some((key) => key.startsWith(`${literal}.`)));
          if (prefixes.length > 0) templates.push(new RegExp(`^(${prefixes.map(escape).join('|')})${rest}$`));
        }
      }
    }
    const unused = keys.filter((key) => !literals.has(key) && !templates.some((template) => template.test(key)));
    expect(unused).toEqual([]);
  });
});
