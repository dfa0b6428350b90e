import { type JSX, Show } from "solid-js";

/** A polite live region for progress and outcomes. */
export function Status(props: { children: JSX.Element; class?: string; id?: string }) {
  return (
    <p class={props.class ?? "status"} id={props.id} role="status" aria-live="polite">
      {props.children}
    </p>
  );
}

/** An error that interrupts: announced at once; nothing is rendered without a message. */
export function Alert(props: { message: string | undefined; class?: string }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class={props.class ?? "alert"} role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}
