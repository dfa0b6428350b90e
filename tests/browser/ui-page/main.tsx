/**
 * A test-only page that renders every component of packages/ui with its shared CSS, under the API's
 * CSP, for tests/browser/ui-components.test.ts. Never shipped.
 */
import { ActionError, CharCounter, Dialog, LongText, ProgressBar } from "@briefgeheim/ui";
import { createSignal } from "solid-js";
import { render } from "solid-js/web";
import "@briefgeheim/ui/styles/tokens.css";
import "@briefgeheim/ui/styles/base.css";
import "./page.css";

const LONG = Array.from({ length: 40 }, (_, i) => `Regel ${i + 1} van een lang bericht.`).join("\n");
const ARABIC = "مرحبا، أحتاج إلى المساعدة من فضلكم";

function Page() {
  const [open, setOpen] = createSignal(false);
  const [closedBy, setClosedBy] = createSignal("");
  const [text, setText] = createSignal("");
  const [error, setError] = createSignal("");
  const format = (n: number) => new Intl.NumberFormat("nl-NL").format(n);
  return (
    <main>
      <h1>Onderdelen</h1>
      <section aria-label="Lange tekst">
        <LongText text={LONG} showAll="Toon alles" showLess="Toon minder" maxLines={5} />
        <LongText text={ARABIC} showAll="Toon alles" showLess="Toon minder" class="text arabic" />
      </section>
      <section aria-label="Teller">
        <label for="box">Bericht</label>
        <textarea
          id="box"
          dir="auto"
          aria-describedby="box-count"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <CharCounter
          id="box-count"
          text={text()}
          max={10}
          format={format}
          counted={(used, max) => `${used} van ${max} tekens`}
          over={(over, max) => `${over} te veel (hoogstens ${max})`}
        />
      </section>
      <ProgressBar label="Voortgang" value={3} max={4} text="3 van 4 klaar" />
      <p>
        <button type="button" id="opener" onClick={() => setOpen(true)}>
          Vraag openen
        </button>
      </p>
      <p id="closed-by">{closedBy()}</p>
      <Dialog
        open={open()}
        onClose={() => {
          setOpen(false);
          setClosedBy("gesloten");
        }}
        labelledBy="ask-title"
        above={
          <button type="button" id="above">
            Erboven
          </button>
        }
      >
        <h2 id="ask-title">Zeker weten?</h2>
        <div class="actions">
          <button type="button" id="no" onClick={() => setOpen(false)}>
            Nee
          </button>
          <button type="button" id="yes" onClick={() => setOpen(false)}>
            Ja
          </button>
        </div>
      </Dialog>
      <div class="spacer" />
      <p>
        <button
          type="button"
          id="refuse"
          onClick={() => setError("Er is niets verstuurd. Probeer het later opnieuw.")}
        >
          Versturen
        </button>
      </p>
      <ActionError id="refusal" message={error()} />
    </main>
  );
}

const root = document.getElementById("app");
if (root !== null) render(() => <Page />, root);
