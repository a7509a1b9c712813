/** Reads one line from the terminal without showing what is typed (for passwords). */
export function readHiddenLine(prompt: string): Promise<string> {
  const input = process.stdin;
  const output = process.stdout;
  return new Promise((resolve) => {
    output.write(prompt);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let line = '';
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          output.write('\n');
          resolve(line);
          return;
        }
        if (character === '\u0003') {
          // Ctrl-C: raw mode swallows the signal, so leave as the terminal would.
          input.setRawMode(false);
          output.write('\n');
          process.exit(130);
        }
        if (character === '\u007f' || character === '\b') line = line.slice(0, -1);
        else line += character;
      }
    };
    input.on('data', onData);
  });
}
