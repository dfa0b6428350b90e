import type { TransferPhase } from "./store.js";

/**
 * The words of the attachment screens, from each app's i18n (the keys are the apps' own). The
 * optional ones exist in one app only: the photo and download notes (help-seeker), picking a file
 * again after a reload (staff).
 */
export interface AttachmentTexts {
  readonly locale: string;
  readonly attachTitle: string;
  readonly attachAdd: string;
  readonly attachHint: (files: number, size: string) => string;
  readonly attachPhotoNote?: string;
  readonly attachPhotoWarning: string;
  readonly attachCleaned: string;
  readonly attachRemove: string;
  readonly attachRemoveLabel: (name: string) => string;
  readonly attachListLabel: string;
  readonly attachTooBig: (name: string, max: string) => string;
  readonly attachTooMany: (max: number) => string;
  readonly attachEmpty: (name: string) => string;
  readonly attachImageUnsupported: (name: string) => string;
  readonly attachImageBroken: (name: string) => string;
  /** A name with control or bidirectional formatting characters (ATTACHMENT_NAME_INVALID). */
  readonly attachNameInvalid: (name: string) => string;
  readonly attachPickAgain?: string;
  readonly attachPickAgainLabel?: (name: string) => string;
  readonly attachNeedsFile?: string;
  readonly attachPhases: Readonly<Record<TransferPhase, string>>;
  readonly attachProgress: (name: string, phase: string, percent: number) => string;
  readonly attachDone: string;
  readonly attachInMessage: string;
  readonly attachDownload: string;
  readonly attachDownloadLabel: (name: string) => string;
  readonly attachShow: string;
  readonly attachShowLabel: (name: string) => string;
  readonly attachHide: string;
  readonly attachImageAlt: (name: string) => string;
  readonly attachDownloadNote?: string;
  readonly attachTampered: (name: string) => string;
  readonly attachFetchFailed: (name: string, reason: string) => string;
}

/** The classes of each app's buttons and notes (its own look; the layout is attachments.css). */
export interface AttachmentLook {
  /** Remove, view, hide, download. */
  readonly button: string;
  readonly addButton?: string;
  readonly legend?: string;
  readonly warning: string;
}
