// The default charter of a community of voisins vigilants. A commune may
// replace it (setting charterText); bumping charterVersion asks every member
// to accept it again before their next post.
export const DEFAULT_CHARTER = `Charte de la communauté des voisins vigilants et solidaires

1. Je veille, je ne surveille pas. Je signale des faits et des comportements, jamais l'apparence ou l'origine d'une personne.
2. En cas de danger immédiat, j'appelle le 17 (ou le 112) avant toute chose.
3. Je n'accuse ni ne nomme personne publiquement. Je ne publie ni photo de personne reconnaissable, ni plaque d'immatriculation ailleurs que dans une alerte adressée à la police municipale.
4. Je respecte la vie privée de mes voisins : je ne diffuse ni adresse, ni numéro de téléphone, ni information personnelle.
5. Je reste courtois et bienveillant. Les propos injurieux, discriminatoires ou haineux sont masqués et peuvent entraîner une exclusion.
6. Les discussions servent l'entraide : animaux perdus, aide à un voisin âgé, prêts, vie du quartier.
7. Les référents animent la communauté et modèrent les échanges ; leurs décisions peuvent être contestées auprès de la mairie.`;
