// A labelled choice among a few options (react-aria's Select: keyboard and
// screen readers handled), styled with the design system's field, popover
// and listbox classes.
import {
  Button,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select as AriaSelect,
  SelectValue,
} from 'react-aria-components';

export function Select(p: {
  label: string;
  value: string;
  onChange(value: string): void;
  options: Array<{ value: string; label: string }>;
  name?: string;
}) {
  return (
    <AriaSelect
      className="field mv-select"
      name={p.name}
      selectedKey={p.value === '' ? '__all' : p.value}
      onSelectionChange={(k) => p.onChange(k === '__all' ? '' : String(k))}
    >
      <Label>{p.label}</Label>
      <Button className="btn secondary mv-select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox">
          {p.options.map((o) => (
            <ListBoxItem key={o.value || '__all'} id={o.value || '__all'} textValue={o.label}>
              {o.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </AriaSelect>
  );
}
