/** Dutch texts, the helpline profile (what help-seekers see, signed by a supervisor). */
export const profile = {
  navProfile: "Hulplijn",
  profileTitle: "Hulplijnprofiel",
  profileLead:
    "Wat hulpvragers over de hulplijn zien: de naam, een beschrijving in het Nederlands en in het Engels, en binnen hoeveel uur jullie antwoorden. Hun app toont alleen wat een coördinator heeft ondertekend.",
  profileNotOpen:
    "De hulplijn is nog niet open: er is nog geen ondertekend profiel. Controleer het voorstel van de beheerder hieronder en onderteken het om de hulplijn te openen.",
  profileOpen: (version: number) => `Open. Hulpvragers zien versie ${version} van het profiel.`,
  profileName: "Naam",
  profileDescriptionNl: "Beschrijving (Nederlands)",
  profileDescriptionEn: "Beschrijving (Engels)",
  profileReplyHours: "Antwoord binnen (uren)",
  profileSignNote: "Opslaan ondertekent een nieuwe versie met jouw sleutel.",
  profileSign: "Ondertekenen en publiceren",
  profileSignOpen: "Ondertekenen en de hulplijn openen",
  profileSaved: (version: number) => `Versie ${version} is ondertekend en gepubliceerd.`,
};
