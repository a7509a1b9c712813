/** A status word in a coloured pill; the colour only repeats what the word says. */
import type { Tone } from '../status-labels';

export function Badge({ tone, children }: { tone: Tone; children: React.ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
