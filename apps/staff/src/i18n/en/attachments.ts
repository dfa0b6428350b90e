import type { attachments as nl } from "../nl/attachments.js";
import type { Shape } from "../shape.js";

/** English texts, attachments (issue 12): files with a reply and the files of a message. */
export const attachments: Shape<typeof nl> = {
  attachTitle: "Files",
  attachAdd: "Add a file",
  attachHint: (files: number, size: string) =>
    `At most ${files} files per message, each at most ${size}. Photos (JPG, PNG, WebP) are first cleaned of hidden details: place, date, device.`,
  attachPhotoWarning: "Please note: a photo can still show faces, addresses, names or screens.",
  attachCleaned: "Hidden details removed",
  attachRemove: "Remove",
  attachRemoveLabel: (name: string) => `Remove ${name}`,
  attachListLabel: "Files with your reply",
  attachTooBig: (name: string, max: string) =>
    `${name} is too large: a file can be at most ${max}. It was not added.`,
  attachTooMany: (max: number) => `At most ${max} files per message. Remove a file first.`,
  attachEmpty: (name: string) => `${name} is empty. It was not added.`,
  attachImageUnsupported: (name: string) =>
    `The hidden details of ${name} cannot be removed (only JPG, PNG and WebP). The image was not added.`,
  attachImageBroken: (name: string) => `${name} seems to be damaged. The image was not added.`,
  attachNameInvalid: (name: string) =>
    `The name of ${name} contains invisible characters that can make it read as something else. The file was not added. Give it another name.`,
  attachPickAgain: "Choose the file again",
  attachPickAgainLabel: (name: string) => `Choose ${name} again to finish sending it`,
  attachNeedsFile:
    "This file was half sent when the page closed. Choose the same file again; sending continues where it stopped.",
  attachPhases: {
    preparing: "preparing",
    encrypting: "encrypting",
    uploading: "sending",
    downloading: "fetching",
    decrypting: "decrypting",
  },
  attachProgress: (name: string, phase: string, percent: number) => `${name}: ${phase}, ${percent}%`,
  attachDone: "done",
  attachInMessage: "Files",
  attachDownload: "Download",
  attachDownloadLabel: (name: string) => `Download ${name}`,
  attachShow: "View",
  attachShowLabel: (name: string) => `View ${name}`,
  attachHide: "Hide",
  attachImageAlt: (name: string) => `Image: ${name}`,
  attachTampered: (name: string) =>
    `${name} was changed or damaged on the way (the check failed). The file is not opened.`,
  attachFetchFailed: (name: string, reason: string) => `${name} could not be fetched. ${reason}`,
  errorAttachTooLarge: "A file is larger than the helpline allows. Nothing was sent.",
  errorAttachTooMany: "More files than the helpline allows. Nothing was sent.",
  errorAttachQuota: "The files for this conversation are used up for today. Nothing was sent.",
  errorAttachInterrupted:
    "Sending a file was interrupted. The reply has not been sent yet. Try again: it continues where it stopped.",
  errorAttachGone:
    "A file is no longer ready on the server, or is not the same file. Remove it and add it again. Nothing was sent.",
};
