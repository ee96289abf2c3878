import type { OptionInfo } from "./options.ts";

/** Splits on spaces, keeping "quoted phrases" and Slack's <@U1|name with spaces> together. */
export function tokenise(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /<[^>]*>|"[^"]*"|“[^”]*”|\S+/g;
  for (const match of text.matchAll(pattern)) {
    let token = match[0];
    if ((token.startsWith('"') && token.endsWith('"')) || (token.startsWith("“") && token.endsWith("”"))) {
      token = token.slice(1, -1);
    }
    tokens.push(token);
  }
  return tokens;
}

/**
 * Turns the text after a slash command into named option values, for platforms that give us a
 * line of text (Slack, console). Accepts `name:value` pairs in any order and positional values
 * in the declared order; a `rest` option takes whatever is left. Values stay strings: the
 * command's zod schema converts and validates them.
 */
export function parseCommandText(text: string, options: OptionInfo[]): Record<string, string> {
  const result: Record<string, string> = {};
  const names = new Set(options.map((o) => o.name));
  const positional: string[] = [];
  for (const token of tokenise(text.trim())) {
    const named = /^([a-z][a-z-]*)[:=](.*)$/i.exec(token);
    const key = named?.[1]?.toLowerCase();
    if (named && key && names.has(key) && named[2] !== "") {
      result[key] = named[2] ?? "";
    } else {
      positional.push(token);
    }
  }
  const unfilled = options.filter((o) => !(o.name in result));
  for (let index = 0; index < unfilled.length && positional.length > 0; index++) {
    const option = unfilled[index];
    if (!option) break;
    const isLast = index === unfilled.length - 1;
    if (option.rest || (isLast && option.kind === "text")) {
      result[option.name] = positional.splice(0).join(" ");
    } else {
      result[option.name] = positional.shift() ?? "";
    }
  }
  if (positional.length > 0) result._extra = positional.join(" ");
  return result;
}

/** `/staff <action> <user> [role]`, for usage lines and help. */
export function usageLine(command: string, options: OptionInfo[]): string {
  const parts = options.map((o) => {
    const label = o.kind === "user" ? `@${o.name}` : o.choices && o.choices.length <= 6 ? o.choices.join("|") : o.name;
    return o.required ? `<${label}>` : `[${label}]`;
  });
  return [`/${command}`, ...parts].join(" ");
}
