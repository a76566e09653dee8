// How the extension starts the server and shows its log. No `vscode` import
// here (only types): the unit tests in test/unit run this under plain Node.

import type { Executable } from 'vscode-languageclient/node';

/** The arguments after the executable: exactly `newsmark lsp`. */
export const SERVER_ARGS: readonly string[] = ['lsp'];

/**
 * The server as vscode-languageclient starts it. `transport` is left unset
 * on purpose: with `TransportKind.stdio` the client appends `--stdio` to the
 * arguments, while an unset transport also means stdio and adds nothing.
 */
export function serverExecutable(command: string, env: NodeJS.ProcessEnv): Executable {
  return { command, args: [...SERVER_ARGS], options: { env } };
}

/**
 * Commands of VS Code's own that the server may attach to code actions:
 * "Add a source…" opens completion after inserting ` | @`.
 */
export const CLIENT_COMMANDS: readonly string[] = ['editor.action.triggerSuggest'];

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: LogLevel;
  message: string;
}

// A line of the server's log on stderr (tracing's format, no colours):
//   2026-12-02T21:52:33.123456Z  INFO newsmark_lsp::server: initialize …
const TRACING_LINE = /^\S+Z\s+(TRACE|DEBUG|INFO|WARN|ERROR)\s+(.*)$/;

/**
 * The level and text of one line the server wrote to stderr. The Output
 * channel adds its own time stamp, so the server's is dropped. A line in
 * another form is an error: the server writes nothing but its log there,
 * so it is a panic message or the runtime's last words.
 */
export function parseLogLine(line: string): LogLine {
  const match = TRACING_LINE.exec(line);
  if (!match) return { level: 'error', message: line };
  return { level: match[1].toLowerCase() as LogLevel, message: match[2] };
}
