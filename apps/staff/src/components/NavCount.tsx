import "../styles/everyday.css";
import { Show } from "solid-js";

/**
 * A count beside a menu item: the number for the eye, the sentence for screen readers (part of the
 * button's name). Nothing when the count is 0 or unknown.
 */
export function NavCount(props: { n: number | undefined; sentence: (n: number) => string }) {
  return (
    <Show when={props.n !== undefined && props.n > 0}>
      <span class="nav-count" data-testid="nav-count">
        <span aria-hidden="true">{props.n}</span>
        <span class="visually-hidden">, {props.sentence(props.n!)}</span>
      </span>
    </Show>
  );
}
