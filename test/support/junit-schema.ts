import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';

/**
 * The rules of the JUnit schema CI servers validate against (Jenkins' junit.xsd, the shape
 * Surefire writes): which children and attributes each element may have, which attributes it
 * must have (the union of what either requires), and what times look like.
 */
interface ElementRule {
  readonly children: readonly string[];
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Character data allowed (mixed content); otherwise only whitespace between elements. */
  readonly text?: boolean;
}

const RERUNS = ['rerunFailure', 'rerunError', 'flakyFailure', 'flakyError'];
const SCHEMA: Readonly<Record<string, ElementRule>> = {
  testsuites: { children: ['testsuite'], required: [], optional: ['name', 'time', 'tests', 'failures', 'errors'] },
  testsuite: {
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    required: ['name', 'tests', 'failures', 'errors', 'skipped', 'time'],
    optional: ['group', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'],
  },
  properties: { children: ['property'], required: [], optional: [] },
  property: { children: [], required: ['name', 'value'], optional: [] },
  testcase: { children: ['skipped', 'error', 'failure', 'system-out', 'system-err', ...RERUNS], required: ['name', 'classname', 'time'], optional: ['group'] },
  failure: { children: [], required: [], optional: ['type', 'message'], text: true },
  error: { children: [], required: [], optional: ['type', 'message'], text: true },
  skipped: { children: [], required: [], optional: ['type', 'message'], text: true },
};
/** Surefire's time: digits (with optional thousands commas) and an optional fraction. */
const TIME = /^(?:(?:[0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(?:\.[0-9]*)?$/;
const COUNTS = ['tests', 'failures', 'errors', 'skipped'];

/** Every violation of {@link SCHEMA} in the tree under `element`. */
export function schemaViolations(element: Element, path = element.tagName): string[] {
  const rule = SCHEMA[element.tagName];
  if (rule === undefined) return [`${path}: no such element in the schema`];
  const problems: string[] = [];
  const names = Array.from(element.attributes, (a) => a.name);
  for (const name of rule.required) if (!names.includes(name)) problems.push(`${path}: missing @${name}`);
  for (const name of names) if (!rule.required.includes(name) && !rule.optional.includes(name)) problems.push(`${path}: @${name} not allowed`);
  const time = element.getAttribute('time');
  if (time !== null && !TIME.test(time)) problems.push(`${path}: @time "${time}" is not a time`);
  for (const count of COUNTS) {
    const value = element.getAttribute(count);
    if (value !== null && !/^\d+$/.test(value)) problems.push(`${path}: @${count} "${value}" is not a count`);
  }
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === child.ELEMENT_NODE) {
      const tag = (child as Element).tagName;
      if (!rule.children.includes(tag)) problems.push(`${path}: <${tag}> not allowed here`);
      else problems.push(...schemaViolations(child as Element, `${path}/${tag}`));
    } else if ((child.nodeType === child.TEXT_NODE || child.nodeType === child.CDATA_SECTION_NODE) && !rule.text && child.nodeValue!.trim() !== '') {
      problems.push(`${path}: text not allowed`);
    }
  }
  return problems;
}

/** Parses XML, throwing on any error (a warning is not one). */
export function parseXml(xml: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'text/xml');
  if (errors.length > 0) throw new Error(`not well-formed XML: ${errors.join('; ')}`);
  return doc.documentElement!;
}

/** The child elements of `element` named `tag`. */
export const children = (element: Element, tag: string): Element[] => Array.from(element.childNodes).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE && (n as Element).tagName === tag);
