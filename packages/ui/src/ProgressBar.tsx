import { Status } from "./Live.js";

/** A determinate progress bar with its text beside it (the text is the live part). */
export function ProgressBar(props: { label: string; value: number; max: number; text: string }) {
  return (
    <div class="progress">
      <label>
        <span class="visually-hidden">{props.label}</span>
        <progress value={props.value} max={Math.max(1, props.max)}>
          {props.text}
        </progress>
      </label>
      <Status>{props.text}</Status>
    </div>
  );
}
