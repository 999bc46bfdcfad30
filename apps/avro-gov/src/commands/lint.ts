// avro-gov lint: every lint rule over the workspace, reported in the Buf style.
import { lintOutput, lintWorkspace } from '@adlake/governance';
import { EXIT, parseCommandLine, parseFormat } from '../args.ts';
import type { Command } from '../args.ts';
import { loadContext, WORKSPACE_HELP, WORKSPACE_OPTIONS } from '../context.ts';
import { isInputFinding, selectPaths, underAny } from '../select.ts';

const HELP = `Usage: avro-gov lint [paths...] [options]

Lints every .avsc file under the schema root (named types resolve across the whole workspace); with
paths, reports only findings in files under them.

Options:
${WORKSPACE_HELP}
  --format <f>        text (file:line:col RULE_ID message), json or github (default: text)
  -h, --help          show this text

Exit codes: 0 clean, 1 findings, 2 usage error or unreadable input (bad JSON, invalid Avro, unknown type).`;

export const lintCommand: Command = {
  name: 'lint',
  jsonOnError: (errors) => errors,
  async run(argv) {
    const { values, positionals, help } = parseCommandLine(argv, {
      ...WORKSPACE_OPTIONS,
      format: { type: 'string' },
    });
    if (help) {
      console.log(HELP);
      return EXIT.ok;
    }
    const format = parseFormat(values.format);
    const { cwd, workspace, config } = await loadContext(values);
    const specs = selectPaths(cwd, positionals);
    const findings = lintWorkspace(workspace, config, {
      ...(specs.length === 0 ? {} : { select: (file: string) => underAny(file, specs) }),
    }).filter((f) => underAny(f.file, specs));
    const output = lintOutput(workspace, findings, format);
    for (const line of output.stdout) console.log(line);
    for (const line of output.stderr) console.error(line);
    if (findings.some(isInputFinding)) return EXIT.usage;
    return findings.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
  },
};
