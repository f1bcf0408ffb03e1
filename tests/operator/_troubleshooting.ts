/**
 * The README's troubleshooting table, read back: between its markers each
 * row says when it happens, what the program prints (in backticks, `…` for
 * the parts that vary) and its exit code. The operator tests run each case
 * and assert the program printed exactly that, so the table cannot drift from
 * the program.
 *
 * @module
 */

import assert from "node:assert/strict";

/** Start marker of the checked table in README.md. */
export const TABLE_START =
  "<!-- troubleshooting:start (each row is checked against the program's output by tests/operator/) -->";
/** End marker. */
export const TABLE_END = "<!-- troubleshooting:end -->";

/** One row of the table. */
export interface TroubleshootingRow {
  /** The situation, in words: the row's key. */
  when: string;
  /** What the program prints, with `…` for the varying parts. */
  shows: string;
  /** The exit code of `run` and of `check` (the same unless the row says otherwise). */
  exit: { run?: number; check?: number };
}

/** The rows of the README's troubleshooting table, by their `when`. */
export async function troubleshootingRows(): Promise<Map<string, TroubleshootingRow>> {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, `README.md lacks ${TABLE_START} … ${TABLE_END}`);
  const rows = new Map<string, TroubleshootingRow>();
  const lines = readme.slice(start + TABLE_START.length, end).trim().split("\n").slice(2);
  for (const line of lines) {
    const cells = splitRow(line);
    assert.equal(cells.length, 4, `a troubleshooting row has 4 cells: ${line}`);
    const [when, shows, exit] = cells as [string, string, string, string];
    const code = /^`(.*)`$/s.exec(shows);
    assert.ok(code, `the "What you see" cell is one code span: ${shows}`);
    rows.set(when, { when, shows: code[1]!, exit: parseExit(exit) });
  }
  return rows;
}

/** Asserts `output` shows the row's message and `code` is the row's exit code for `command`. */
export function assertShows(
  row: TroubleshootingRow | undefined,
  command: "run" | "check",
  result: { code: number; stdout: string; stderr: string },
): void {
  assert.ok(row, "the case has a row in the README's troubleshooting table");
  const output = `${result.stdout}\n${result.stderr}`;
  assert.match(output, messagePattern(row.shows), `${command}: "${row.when}":\n${output}`);
  const expected = row.exit[command];
  assert.notEqual(expected, undefined, `the row "${row.when}" gives ${command}'s exit code`);
  assert.equal(result.code, expected, `${command} exit code for "${row.when}":\n${output}`);
}

/** Asserts {@link assertShows} for both `check` and `run`. */
export function assertBothShow(
  row: TroubleshootingRow | undefined,
  results: Record<"check" | "run", { code: number; stdout: string; stderr: string }>,
): void {
  assertShows(row, "check", results.check);
  assertShows(row, "run", results.run);
}

/** The row's message as a pattern: literal text, `…` matching anything on the same line. */
export function messagePattern(shows: string): RegExp {
  const parts = shows.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(parts.join("[^\\n]*"));
}

function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = "";
  const body = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char === "\\" && body[index + 1] === "|") {
      current += "|";
      index += 1;
    } else if (char === "|") {
      cells.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  cells.push(current.trim());
  return cells;
}

function parseExit(cell: string): { run?: number; check?: number } {
  if (/^\d+$/.test(cell)) return { run: Number(cell), check: Number(cell) };
  const exit: { run?: number; check?: number } = {};
  for (const match of cell.matchAll(/`?(run|check)`?\s*:?\s*(\d+)/g)) {
    exit[match[1] as "run" | "check"] = Number(match[2]);
  }
  assert.ok(Object.keys(exit).length > 0, `cannot read the exit code cell "${cell}"`);
  return exit;
}
