import { For } from "solid-js";

/**
 * A table's column headings, then a last column for row actions whose heading is read by screen
 * readers only (Overview's caseload table, Team's members table).
 */
export function TableHead(props: { columns: readonly string[]; actions: string }) {
  return (
    <thead>
      <tr>
        <For each={props.columns}>{(column) => <th scope="col">{column}</th>}</For>
        <th scope="col">
          <span class="visually-hidden">{props.actions}</span>
        </th>
      </tr>
    </thead>
  );
}
