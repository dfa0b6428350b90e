import { createEffect, on } from "solid-js";

/**
 * A refusal said next to the button that was pressed (issue 10, item 3): an alert, so screen readers
 * announce it, scrolled into view when it appears, so on a phone it is never below the fold. The
 * element always exists (empty when there is nothing to say) so the announcement is reliable.
 *
 * @example
 * <button type="submit">Versturen</button>
 * <ActionError id="send-error" message={sendError()} />
 */
export function ActionError(props: { id: string; message: string; class?: string }) {
  let el: HTMLParagraphElement | undefined;
  createEffect(
    on(
      () => props.message,
      (message) => {
        if (message !== "" && el !== undefined) {
          requestAnimationFrame(() => el?.scrollIntoView({ block: "nearest", behavior: "auto" }));
        }
      },
    ),
  );
  return (
    <p ref={el} class={`error action-error ${props.class ?? ""}`.trim()} id={props.id} role="alert">
      {props.message}
    </p>
  );
}
