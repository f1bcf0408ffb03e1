import assert from "node:assert/strict";
import { UsageError } from "../errors/mod.ts";
import { helpText, parseCommandLine } from "./args.ts";

Deno.test("no arguments runs the connector; --config is kept", () => {
  assert.deepEqual(parseCommandLine([]), { name: "run" });
  assert.deepEqual(parseCommandLine(["--config", "x.yml"]), { name: "run", configPath: "x.yml" });
  assert.deepEqual(parseCommandLine(["run", "--config=y.yml"]), {
    name: "run",
    configPath: "y.yml",
  });
});

Deno.test("each subcommand parses its own flags and positionals", () => {
  assert.deepEqual(parseCommandLine(["check", "--offline"]), { name: "check", offline: true });
  assert.deepEqual(parseCommandLine(["schema", "--vendor", "silentpush"]), {
    name: "schema",
    vendor: "silentpush",
  });
  assert.deepEqual(parseCommandLine(["enrich", "--vendor", "silentpush", "ipv4-addr", "1.1.1.1"]), {
    name: "enrich",
    vendor: "silentpush",
    entityType: "ipv4-addr",
    value: "1.1.1.1",
  });
  assert.deepEqual(parseCommandLine(["version"]), { name: "version" });
});

Deno.test("--help of any command, and help TOPIC, ask for that command's help", () => {
  assert.deepEqual(parseCommandLine(["check", "--help"]), { name: "help", topic: "check" });
  assert.deepEqual(parseCommandLine(["run", "-h"]), { name: "help", topic: "run" });
  assert.deepEqual(parseCommandLine(["help", "enrich"]), { name: "help", topic: "enrich" });
  assert.match(helpText("enrich"), /enrich --vendor silentpush ipv4-addr 1\.1\.1\.1/);
  assert.match(
    helpText(),
    /Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error/,
  );
});

Deno.test("--help and --version alone are the program's help and version, not run's", () => {
  assert.deepEqual(parseCommandLine(["--help"]), { name: "help" });
  assert.deepEqual(parseCommandLine(["-h"]), { name: "help" });
  assert.deepEqual(parseCommandLine(["--version"]), { name: "version" });
  assert.deepEqual(parseCommandLine(["-V"]), { name: "version" });
});

Deno.test("the general help lists every command with an example, each command's help has one", () => {
  for (const command of ["run", "check", "enrich", "schema", "version", "help"] as const) {
    assert.match(helpText(), new RegExp(`^  ${command} .*\n {14}opencti-enrich `, "m"), command);
    if (command !== "help") assert.match(helpText(command), /^Example: opencti-enrich /m, command);
  }
});

Deno.test("bad command lines are UsageErrors that say what to do", () => {
  const cases: Array<[string[], RegExp]> = [
    [["frobnicate"], /Unknown command "frobnicate"; run "opencti-enrich help"/],
    [["check", "--bogus"], /Unknown option '--bogus'.*run "opencti-enrich check --help"/],
    [["enrich", "ipv4-addr"], /"enrich" takes 2 arguments, got 1/],
    [["version", "extra"], /"version" takes no arguments, got 1/],
    [["schema", "--config", "x"], /Unknown option '--config'/],
    [["help", "nope"], /Unknown command "nope"/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseCommandLine(argv), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});
