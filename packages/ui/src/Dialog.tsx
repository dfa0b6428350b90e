import { createEffect, type JSX, on, onCleanup } from "solid-js";

/**
 * A modal dialog on the platform's `<dialog>` and `showModal()`: the rest of the page becomes inert,
 * so Tab stays inside (the focus trap), Escape closes it, and focus goes back to what opened it.
 * `above` is rendered inside the dialog first: the help-seeker app passes its quick exit there, since
 * nothing outside a modal dialog can be tapped while it is open (issue 10, item 2).
 *
 * @example
 * <Dialog open={asking()} onClose={() => setAsking(false)} labelledBy="t" describedBy="d" above={<QuickExit />}>
 *   <h2 id="t">Gesprek verwijderen?</h2> ...
 * </Dialog>
 */
export function Dialog(props: {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  describedBy?: string;
  class?: string;
  above?: JSX.Element;
  children: JSX.Element;
}) {
  let dialog: HTMLDialogElement | undefined;
  let opener: Element | null = null;
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (dialog === undefined) return;
        if (open && !dialog.open) {
          opener = document.activeElement;
          dialog.showModal();
        } else if (!open && dialog.open) {
          dialog.close();
        }
      },
    ),
  );
  const restoreFocus = () => {
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    opener = null;
  };
  onCleanup(() => {
    if (dialog?.open) dialog.close();
  });
  return (
    <dialog
      ref={dialog}
      class={props.class}
      aria-labelledby={props.labelledBy}
      aria-describedby={props.describedBy}
      onClose={() => {
        restoreFocus();
        props.onClose();
      }}
    >
      {props.above}
      {props.children}
    </dialog>
  );
}
