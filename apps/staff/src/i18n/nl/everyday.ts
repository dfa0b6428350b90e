import { listOf, plural } from "../plural.js";

/** Dutch texts of slice F: handover events, the reassign confirmation, counts in the navigation. */
export const everyday = {
  handoverBySupervisor: (name: string) => `Het gesprek is overgedragen aan ${name}.`,
  handoverSelf: (name: string) => `${name} heeft het gesprek overgenomen.`,
  handoverLabel: "Overdracht",
  handoverNotAnnounced: (n: number) =>
    plural("nl", n, {
      one: `${n} gesprek is verplaatst, maar de melding van de overdracht kon er niet in worden gezet:`,
      other: `${n} gesprekken zijn verplaatst, maar de melding van de overdracht kon er niet in worden gezet:`,
    }),
  conversationsN: (n: number) => plural("nl", n, { one: `${n} gesprek`, other: `${n} gesprekken` }),
  reassignSummary: (n: number, from: string, to: readonly string[]) =>
    `${plural("nl", n, { one: `${n} gesprek`, other: `${n} gesprekken` })} van ${from} naar ${listOf("nl", to)}`,
  reassignCheckTitle: "Klopt dit?",
  reassignCheckLead: "Controleer wat er gaat gebeuren. Er verandert pas iets als je bevestigt.",
  reassignCheckRoundRobin: "De gesprekken worden om de beurt verdeeld.",
  reassignCheckLoses: (from: string) =>
    `${from} kan daarna niet meer lezen wat er in deze gesprekken bijkomt.`,
  reassignCheckSeeker: "De hulpvrager ziet in het gesprek aan wie het is overgedragen.",
  reassignConfirm: "Ja, herverdelen",
  reassignBack: "Terug, niets veranderen",
  reassignChooseWhat: "Kies of je de hele caseload of een selectie wilt herverdelen.",
  bulkPlainRoster: "De nieuwe teamlijst wordt ondertekend…",
  bulkPlainListing: "De gesprekken worden opgezocht…",
  bulkPlainLoading: (done: number, total: number) =>
    `Gesprekken worden gecontroleerd: ${done} van ${plural("nl", total, { one: `${total} gesprek`, other: `${total} gesprekken` })}.`,
  bulkPlainSigning: (_done: number, total: number) =>
    `Nieuwe sleutels worden gemaakt voor ${plural("nl", total, { one: `${total} gesprek`, other: `${total} gesprekken` })}.`,
  bulkPlainUploading: (done: number, total: number) => `Opslaan: ${done} van ${total} klaar.`,
  bulkPlainAnnouncing: (done: number, total: number) =>
    `De overdracht wordt in elk gesprek gemeld: ${done} van ${total}.`,
  bulkDone: (n: number) =>
    plural("nl", n, {
      one: `Klaar: ${n} gesprek is overgezet.`,
      other: `Klaar: ${n} gesprekken zijn overgezet.`,
    }),
  bulkAlreadyDone: (n: number) =>
    n === 0
      ? ""
      : plural("nl", n, {
          one: `${n} gesprek was al overgezet.`,
          other: `${n} gesprekken waren al overgezet.`,
        }),
  bulkTook: (s: string) => `Dat duurde ${s} seconden.`,
  navAdmissions: (n: number) =>
    plural("nl", n, { one: `${n} persoon wacht op toelating`, other: `${n} mensen wachten op toelating` }),
  navWaitingThreads: (n: number) =>
    plural("nl", n, {
      one: `${n} gesprek wacht op een antwoord`,
      other: `${n} gesprekken wachten op een antwoord`,
    }),
  threadVerifiedApart: (messages: number, notes: number) =>
    `${plural("nl", messages, { one: `${messages} bericht`, other: `${messages} berichten` })}${
      notes === 0 ? "" : ` en ${plural("nl", notes, { one: `${notes} notitie`, other: `${notes} notities` })}`
    }: ondertekend en in de juiste volgorde, geverifieerd.`,
  inviteUsed: (name: string) =>
    `${name} heeft de uitnodiging gebruikt. De link werkt niet meer en staat hier daarom niet meer.`,
  printOpen: "Afdrukken of als PDF bewaren",
  printBack: "← Terug naar het gesprek",
  printLead:
    "Voor een melding of verslag: het gesprek zoals het hier is ontsleuteld en gecontroleerd, zonder de app eromheen. Kies in het afdrukvenster van je browser ‘Opslaan als PDF’ voor een bestand. Het afdrukken komt in het auditlog (wie, welk gesprek, wanneer; geen inhoud).",
  printWithNotes: "Interne notities meenemen",
  printButton: "Afdrukken of opslaan als PDF",
  printRecorded: "Vastgelegd in het auditlog. Het afdrukvenster opent.",
  printHelpline: "Hulplijn",
  printConversation: "Gesprek",
  printBy: "Afgedrukt door",
  printAt: "Op",
  printNote: "Interne notitie",
  printVerified: "Alle berichten zijn ondertekend en in de juiste volgorde: geverifieerd.",
  printNotVerified: (n: number) =>
    plural("nl", n, {
      one: `Let op: ${n} controle klopt niet. Het probleem staat bij het bericht.`,
      other: `Let op: ${n} controles kloppen niet. Elk probleem staat bij het bericht.`,
    }),
  tabTitleCount: (n: number, title: string) => (n > 0 ? `(${n}) ${title}` : title),
};
