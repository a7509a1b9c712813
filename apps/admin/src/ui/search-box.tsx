/**
 * A search field whose value lives in the address: it reports what was typed once typing pauses (or on Enter),
 * and follows the address when it changes from elsewhere (Back, a cleared filter).
 */
import { useEffect, useState } from 'react';

const SEARCH_DELAY_MS = 300;

export function SearchBox({
  label,
  placeholder,
  value,
  onSearch,
}: {
  label: string;
  placeholder: string;
  /** The search in force (from the address). */
  value: string;
  onSearch: (value: string) => void;
}) {
  const [draft, setDraft] = useState(value);
  const [applied, setApplied] = useState(value);
  // The address changed without us (Back, "Clear filters"): show what is in force now.
  if (value !== applied) {
    setApplied(value);
    if (draft.trim() !== value) setDraft(value);
  }

  useEffect(() => {
    const wanted = draft.trim();
    if (wanted === value) return;
    const timer = setTimeout(() => {
      setApplied(wanted);
      onSearch(wanted);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, value, onSearch]);

  return (
    <form
      role="search"
      className="field-grow"
      onSubmit={(event) => {
        event.preventDefault();
        setApplied(draft.trim());
        onSearch(draft.trim());
      }}
    >
      <label className="field">
        <span>{label}</span>
        <input
          type="search"
          placeholder={placeholder}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
      </label>
    </form>
  );
}
