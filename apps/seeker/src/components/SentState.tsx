import { type JSX, onMount, Show } from "solid-js";
import { formatDateTime, t } from "../i18n/index.js";

/**
 * The "sent" state after a message went out (issue 10, item 4): plainly sent, when an answer can be
 * expected (the helpline's signed promise, and the date the server gives for this conversation), that
 * no notification comes, and "Nog een bericht schrijven". Focus moves to its heading, so a screen
 * reader says it and the phone shows it. `children` is room for what follows a send (e.g. questions).
 */
export function SentState(props: {
  first: boolean;
  promise: string | undefined;
  dueAt: number | undefined;
  onWriteAnother: () => void;
  children?: JSX.Element;
}) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => {
    // After the screen's own heading focus (App.tsx, one frame): this one wins.
    requestAnimationFrame(() => requestAnimationFrame(() => heading?.focus()));
  });
  return (
    <section class="sent-state" aria-labelledby="sent-title">
      <h2 id="sent-title" tabindex="-1" ref={heading}>
        <span aria-hidden="true">✓ </span>
        {t().sentTitle}
      </h2>
      <p class="sent-main">{props.first ? t().sentFirst : t().replySent}</p>
      <Show when={props.promise}>{(promise) => <p>{t().sentWhen(promise())}</p>}</Show>
      <Show when={props.dueAt}>{(due) => <p>{t().sentDue(formatDateTime(due()))}</p>}</Show>
      <p>{t().sentComeBack}</p>
      {props.children}
      <p>
        <button type="button" class="secondary" onClick={() => props.onWriteAnother()}>
          {t().writeAnother}
        </button>
      </p>
    </section>
  );
}
