/**
 * Slice G (issue 13): the optional questions after a first message, Dutch (B1) and English. Spread
 * into nl.ts and en.ts; answer ids are the fixed ones of `SURVEY_QUESTIONS` (packages/protocol).
 */
const nlOptions: Record<string, string> = {
  "under-12": "Jonger dan 12",
  "12-15": "12 tot en met 15",
  "16-18": "16 tot en met 18",
  "19-23": "19 tot en met 23",
  "24-30": "24 tot en met 30",
  "31-45": "31 tot en met 45",
  "46-65": "46 tot en met 65",
  "over-65": "Ouder dan 65",
  "girl-woman": "Meisje of vrouw",
  "boy-man": "Jongen of man",
  "rather-not": "Zeg ik liever niet",
  loneliness: "Me alleen voelen",
  relationships: "Vrienden of liefde",
  family: "Familie of thuis",
  "school-work": "School of werk",
  "mental-health": "Hoe ik me voel",
  violence: "Geweld of misbruik",
  anonymity: "Niemand weet wie ik ben",
  "prefer-writing": "Ik schrijf liever dan dat ik praat",
  "own-time": "Ik kies zelf wanneer",
  search: "Gezocht op internet",
  school: "Via school",
  friend: "Via een vriend of familie",
  "social-media": "Via sociale media",
  professional: "Via een hulpverlener of dokter",
  other: "Iets anders",
};

const enOptions: Record<string, string> = {
  "under-12": "Under 12",
  "12-15": "12 to 15",
  "16-18": "16 to 18",
  "19-23": "19 to 23",
  "24-30": "24 to 30",
  "31-45": "31 to 45",
  "46-65": "46 to 65",
  "over-65": "Over 65",
  "girl-woman": "Girl or woman",
  "boy-man": "Boy or man",
  "rather-not": "I'd rather not say",
  loneliness: "Feeling alone",
  relationships: "Friends or love",
  family: "Family or home",
  "school-work": "School or work",
  "mental-health": "How I feel",
  violence: "Violence or abuse",
  anonymity: "Nobody knows who I am",
  "prefer-writing": "I'd rather write than talk",
  "own-time": "I choose when",
  search: "Searched the internet",
  school: "Through school",
  friend: "Through a friend or family",
  "social-media": "Through social media",
  professional: "Through a care worker or doctor",
  other: "Something else",
};

const nlQuestions: Record<string, string> = {
  age: "Hoe oud ben je?",
  gender: "Wat past het best bij jou?",
  topic: "Waar gaat je bericht vooral over?",
  reason: "Waarom koos je ervoor om te schrijven?",
  found: "Hoe heb je ons gevonden?",
};

const enQuestions: Record<string, string> = {
  age: "How old are you?",
  gender: "What fits you best?",
  topic: "What is your message mostly about?",
  reason: "Why did you choose to write?",
  found: "How did you find us?",
};

export const surveyNl = {
  surveyTitle: "Wil je nog een paar vragen beantwoorden?",
  surveyIntro:
    "Dat helpt de hulplijn om te laten zien wie ze helpt. Alleen de hulplijn kan je antwoorden lezen. Je kunt elke vraag overslaan.",
  surveyStep: (n: number, of: number) => `Vraag ${n} van ${of}`,
  surveyQuestion: (id: string) => nlQuestions[id] ?? id,
  surveyOption: (id: string) => nlOptions[id] ?? id,
  surveyNext: "Volgende",
  surveySkip: "Overslaan",
  surveyStop: "Stoppen met de vragen",
  surveyPick: "Kies een antwoord, of sla de vraag over.",
  surveySending: "Je antwoorden worden bewaard…",
  surveyThanks: "Bedankt voor je antwoorden.",
  surveyNothing: "Prima. Er is niets bewaard.",
  surveyFailed: "Je antwoorden konden niet worden bewaard. Je bericht is wel verstuurd.",
};

export const surveyEn: typeof surveyNl = {
  surveyTitle: "Would you like to answer a few questions?",
  surveyIntro:
    "It helps the helpline show who it helps. Only the helpline can read your answers. You can skip every question.",
  surveyStep: (n: number, of: number) => `Question ${n} of ${of}`,
  surveyQuestion: (id: string) => enQuestions[id] ?? id,
  surveyOption: (id: string) => enOptions[id] ?? id,
  surveyNext: "Next",
  surveySkip: "Skip",
  surveyStop: "Stop the questions",
  surveyPick: "Pick an answer, or skip the question.",
  surveySending: "Saving your answers…",
  surveyThanks: "Thank you for your answers.",
  surveyNothing: "Fine. Nothing was saved.",
  surveyFailed: "Your answers could not be saved. Your message was sent.",
};
