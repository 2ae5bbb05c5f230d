// One of the commune's addresses (its BAN import), chosen by typing: a combo
// box that searches from the third character and offers up to 8 addresses.
// The value is the address's id; the label shown is the one chosen. Used by
// the pages that ask for an address other than the resident's own (a
// relative's for the solidarity register, a secondary home).
import { useState } from 'react';
import {
  ComboBox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useQuery } from 'urql';
import { graphql } from './graphql.js';
import { fieldId } from '../ds/index.js';

const SearchDocument = graphql(`
  query ShellSearchAddresses($query: String!) {
    searchAddresses(query: $query, limit: 8) {
      id
      label
    }
  }
`);

export function AddressField(p: {
  name: string;
  label: string;
  hint?: string;
  /** Shown when nothing of the commune matches what is typed. */
  noMatch: string;
  error?: string;
  required?: boolean;
  /** The chosen address, or null while what is typed is not one yet. */
  onChange(address: { id: string; label: string } | null): void;
}) {
  const [query, setQuery] = useState('');
  const [{ data }] = useQuery({
    query: SearchDocument,
    variables: { query },
    pause: query.trim().length < 3,
  });
  const items = query.trim().length >= 3 ? (data?.searchAddresses ?? []) : [];
  return (
    <ComboBox
      className="field"
      items={items}
      inputValue={query}
      onInputChange={(v) => {
        setQuery(v);
        p.onChange(null);
      }}
      onSelectionChange={(key) => {
        const hit = items.find((i) => i.id === key);
        if (hit) {
          setQuery(hit.label);
          p.onChange({ id: hit.id, label: hit.label });
        }
      }}
      menuTrigger="input"
      allowsEmptyCollection
      isInvalid={!!p.error}
      isRequired={p.required}
      validationBehavior="aria"
    >
      <Label>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
      </Label>
      {p.hint ? (
        <Text slot="description" className="hint">
          {p.hint}
        </Text>
      ) : null}
      <Input id={fieldId(p.name)} />
      <FieldError className="field-error">{p.error}</FieldError>
      <Popover className="popover">
        <ListBox className="listbox" renderEmptyState={() => <p className="meta">{p.noMatch}</p>}>
          {(item: (typeof items)[number]) => (
            <ListBoxItem id={item.id} textValue={item.label}>
              {item.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
