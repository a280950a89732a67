"""Word lists of the benchmark data generator (``benchmarks/generate.py``).

French first names (with their civility), last names common in France and
in Alsace, streets of Illkirch-Graffenstaden and of the towns nearby, and
the texts that make the generated requests and invoices read like real ones.
Everything here is fiction: any likeness to a real person is chance.
"""

FEMALE_FIRST_NAMES = (
    "Amélie", "Anaïs", "Anne", "Aurélie", "Béatrice", "Camille", "Céline",
    "Chloé", "Claire", "Clémence", "Corinne", "Delphine", "Élise", "Élodie",
    "Emma", "Émilie", "Estelle", "Eva", "Fanny", "Florence", "Françoise",
    "Gaëlle", "Hélène", "Inès", "Isabelle", "Jade", "Jeanne", "Joséphine",
    "Julie", "Juliette", "Laetitia", "Laure", "Léa", "Léna", "Lina", "Louise",
    "Lucie", "Manon", "Margaux", "Marie", "Marion", "Mathilde", "Maëlys",
    "Mélanie", "Nadia", "Nathalie", "Noémie", "Océane", "Odile", "Pauline",
    "Rose", "Sandrine", "Sarah", "Solène", "Sophie", "Stéphanie", "Sylvie",
    "Thérèse", "Valérie", "Véronique", "Zoé", "Agnès", "Brigitte", "Cécile",
    "Danièle", "Geneviève", "Josiane", "Maïwenn", "Noëlle", "Salomé",
    "Anne-Sophie", "Marie-Claire", "Fatima", "Yasmina", "Aïcha", "Leïla",
    "Odélia", "Frédérique",
)

MALE_FIRST_NAMES = (
    "Adrien", "Alexandre", "André", "Antoine", "Arnaud", "Arthur", "Baptiste",
    "Benoît", "Bernard", "Bruno", "Cédric", "Charles", "Christophe", "Clément",
    "Damien", "David", "Denis", "Didier", "Dominique", "Éric", "Étienne",
    "Fabien", "Florian", "François", "Frédéric", "Gabriel", "Gaël", "Guillaume",
    "Hugo", "Jérôme", "Joël", "Jules", "Julien", "Kévin", "Laurent", "Léo",
    "Louis", "Luc", "Lucas", "Marc", "Mathéo", "Mathis", "Maxime", "Michel",
    "Nathan", "Nicolas", "Noé", "Olivier", "Pascal", "Patrick", "Paul",
    "Philippe", "Pierre", "Raphaël", "Rémi", "Romain", "Sébastien", "Simon",
    "Stéphane", "Théo", "Thierry", "Thomas", "Timothée", "Tom", "Valentin",
    "Vincent", "Yannick", "Yves", "Zacharie", "Anaël", "Joachim", "Loïc",
    "Jean-Marc", "Jean-Pierre", "Pierre-Yves", "Karim", "Mehdi", "Youssef",
    "Noël", "Hervé", "Grégoire", "Aurélien",
)

LAST_NAMES = (
    # Alsace
    "Muller", "Schmitt", "Meyer", "Klein", "Weber", "Wagner", "Fischer",
    "Koenig", "Schneider", "Hoffmann", "Bauer", "Becker", "Braun", "Ehrhardt",
    "Frey", "Gross", "Haas", "Heitz", "Jung", "Keller", "Kieffer", "Kuhn",
    "Lang", "Lutz", "Metz", "Ott", "Reinhardt", "Roth", "Schaeffer", "Schott",
    "Schwartz", "Stoffel", "Vogel", "Walter", "Wolff", "Zimmermann", "Hummel",
    "Kern", "Kientz", "Kolb", "Ritter", "Wendling", "Oberlin", "Burckel",
    "Zeller", "Sutter", "Heckel", "Gerber", "Eschbach", "Fritsch", "Haettel",
    "Ostermann", "Riehl", "Ruhlmann", "Spiesser", "Wolfersberger", "Hertzog",
    "Lévy", "Bloch", "Schœnfelder",
    # France
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
    "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel",
    "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
    "Masson", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
    "Roche", "Noël", "Lucas", "Meunier", "Pérez", "Marchand", "Dufour",
    "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Leroux", "Colin",
    "Fernandez", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud",
    "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard",
    "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez", "Hubert", "Rivière",
    "Guillaume", "Adam", "Rey", "Moulin", "Berger", "Lecomte", "Ménard",
    "Fleury", "Deschamps", "Carpentier", "Benoît", "Maillard", "Marchal",
    "Aubry", "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron",
    "Dupuy", "Carré", "Breton", "Rémy", "Pereira", "Perrot", "Guyot", "Cousin",
    # names of several words, with apostrophes or hyphens
    "Le Gall", "Da Silva", "De Oliveira", "N'Diaye", "D'Angelo", "Le Goff",
    "Dos Santos", "Ben Ali", "Saint-Martin", "Lefort-Muller", "El Amrani",
    "Diallo", "Traoré", "Benali", "Haddad", "Yilmaz", "Kaya", "Özdemir",
    "Nowak", "Kowalski", "Ferreira", "Rossi",
)

BIRTH_PLACES = (
    "Strasbourg", "Strasbourg", "Strasbourg", "Illkirch-Graffenstaden",
    "Illkirch-Graffenstaden", "Schiltigheim", "Haguenau", "Colmar", "Mulhouse",
    "Sélestat", "Molsheim", "Obernai", "Saverne", "Erstein", "Lingolsheim",
    "Ostwald", "Geispolsheim", "Metz", "Nancy", "Paris", "Lyon", "Besançon",
    "Épinal", "Reims", "Dijon", "Lille", "Marseille", "Toulouse", "Bordeaux",
    "Nantes", "Rennes", "Casablanca", "Alger", "Tunis", "Istanbul", "Lisbonne",
    "Fribourg-en-Brisgau", "Karlsruhe", "Kehl", "Bâle",
)

# Streets of Illkirch-Graffenstaden (and plausible ones of its quarters).
STREETS = (
    "route de Lyon", "route Burkel", "avenue de Strasbourg", "rue des Vosges",
    "rue Krafft", "avenue Messmer", "rue de la Plaine", "rue Lixenbuhl",
    "rue du Docteur Albert Schweitzer", "boulevard Sébastien Brant",
    "allée François Mitterrand", "rue de Graffenstaden", "rue des Jardins",
    "rue du Maréchal Foch", "rue de l'Ill", "rue des Pêcheurs",
    "rue de la Poste", "allée des Tilleuls", "rue des Roses",
    "rue des Lilas", "rue du Général Leclerc", "rue de la Forêt",
    "rue du Canal", "rue de l'Industrie", "rue des Vignes", "rue d'Ostwald",
    "rue de Geispolsheim", "rue des Bateliers", "rue du Moulin",
    "rue de la Gare", "rue des Prés", "rue des Cerisiers", "rue des Merles",
    "rue des Peupliers", "rue Jean Jaurès", "rue Victor Hugo",
    "rue Pasteur", "rue de Lattre de Tassigny", "rue Charles de Gaulle",
    "place de l'Église", "place du Marché", "rue de l'Ancienne Tuilerie",
    "rue des Artisans", "rue des Chasseurs", "impasse des Mésanges",
    "rue du Baggersee", "chemin du Neuhof", "rue de la Montagne Verte",
    "rue Sainte-Odile", "rue de Champagne", "rue d'Alsace",
    "rue de Bourgogne", "rue de Provence", "rue de Normandie",
    "allée des Érables", "rue des Hirondelles", "rue des Abeilles",
    "rue du Château d'Eau", "square des Muguets", "cour de la Fontaine",
)
COMPLEMENTS = (
    "Bâtiment A", "Bâtiment B", "Bâtiment C", "Résidence Les Tilleuls",
    "Résidence du Parc", "2e étage", "3e étage", "Appartement 12",
    "Appartement 24", "Escalier 2", "Boîte aux lettres 7", "Rez-de-chaussée",
)
POSTAL_CODE = "67400"
CITY = "Illkirch-Graffenstaden"

# Towns where civil-status acts are sent.
DELIVERY_TOWNS = (
    ("67000", "Strasbourg"), ("67400", "Illkirch-Graffenstaden"),
    ("67540", "Ostwald"), ("67380", "Lingolsheim"), ("67118", "Geispolsheim"),
    ("67300", "Schiltigheim"), ("68000", "Colmar"), ("75011", "Paris"),
    ("69003", "Lyon"), ("57000", "Metz"), ("54000", "Nancy"),
    ("13006", "Marseille"),
)
ABROAD_TOWNS = (
    ("Kehl", "Allemagne"), ("Bâle", "Suisse"), ("Montréal", "Canada"),
    ("Bruxelles", "Belgique"), ("Luxembourg", "Luxembourg"),
)

EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

# Answers of the demo services' free-text questions.
ALLERGIES = (
    "Allergie aux arachides (PAI en cours).", "Sans porc.", "Végétarien.",
    "Intolérance au lactose.", "Allergie aux œufs.", "Régime sans gluten.",
    "Asthme : ventoline dans le cartable.",
)
REPORT_DESCRIPTIONS = {
    "Chaussée ou trottoir abîmé": (
        "Nid-de-poule profond devant le numéro {number}, dangereux pour les "
        "cyclistes.",
        "Le trottoir est soulevé par les racines d'un arbre, une poussette ne "
        "passe plus.",
        "Plaque d'égout descellée qui claque au passage des voitures.",
    ),
    "Éclairage public en panne": (
        "Le lampadaire en face du numéro {number} ne s'allume plus depuis une "
        "semaine.",
        "Trois lampadaires éteints d'affilée, la rue est plongée dans le noir.",
        "L'éclairage clignote toute la nuit.",
    ),
    "Dépôt sauvage": (
        "Des sacs poubelles et un matelas ont été déposés au pied des "
        "conteneurs.",
        "Gravats abandonnés sur le bas-côté près du numéro {number}.",
        "Encombrants déposés devant l'entrée de l'école.",
    ),
    "Mobilier urbain dégradé": (
        "Le banc de l'arrêt de tram est cassé.",
        "Panneau de signalisation plié, il ne se voit plus.",
        "La corbeille à papiers a été arrachée.",
    ),
    "Autre": (
        "Une branche menace de tomber sur la piste cyclable.",
        "Tags sur le mur du gymnase.",
        "Bouche à incendie qui fuit depuis plusieurs jours.",
    ),
}
AUTHORISED_PEOPLE = ("Grand-mère", "Grand-père", "Tante", "Oncle", "Voisine",
                     "Parrain", "Marraine")
LEGAL_GROUNDS = (
    "Notaire chargé de la succession.",
    "Avocat de la personne concernée.",
    "Généalogiste mandaté par l'étude notariale.",
)

# Messages of the agents (ask_documents, reject) and their comments.
ASK_MESSAGES = (
    "L'attestation d'assurance n'est pas lisible : merci de la renvoyer.",
    "Il manque la page des vaccins obligatoires du carnet de santé.",
    "Merci de préciser l'adresse exacte (numéro de rue).",
    "Le justificatif de domicile date de plus d'un an.",
    "Merci de joindre une photo du problème signalé.",
)
REJECT_MESSAGES = (
    "Demande en double : elle est déjà traitée sous un autre numéro.",
    "L'école indiquée ne dépend pas de la commune.",
    "Le lieu signalé relève de l'Eurométropole : nous avons transmis votre "
    "signalement.",
    "Aucun acte ne correspond aux informations données.",
    "Les pièces demandées n'ont pas été reçues dans le délai d'un mois.",
)
VALIDATION_COMMENTS = (
    "", "", "", "Justificatif de domicile vérifié.",
    "Compte rattaché au logiciel de facturation.",
)

# What the régies bill: (domain, label, unit price in cents, quantities).
VILLE_LINES = (
    ("Périscolaire", "Restauration scolaire", 450, (8, 18)),
    ("Périscolaire", "Accueil du soir", 275, (4, 16)),
    ("Périscolaire", "Accueil du matin", 180, (4, 16)),
    ("Périscolaire", "Mercredi éducatif (journée)", 1450, (1, 4)),
    ("Scolaire", "Classe de découverte (acompte)", 6000, (1, 1)),
    ("Scolaire", "Fournitures scolaires", 2500, (1, 1)),
    ("Petite enfance", "Multi-accueil (heures)", 185, (40, 140)),
    ("Petite enfance", "Repas multi-accueil", 320, (8, 20)),
)
# Holiday centre of grandchildren, billed to households without children.
HOLIDAY_LINES = (
    ("Périscolaire", "Accueil de loisirs (vacances, journée)", 1650, (2, 10)),
)
CCAS_LINES = (
    ("Action sociale", "Portage de repas", 620, (5, 22)),
    ("Action sociale", "Téléassistance", 1850, (1, 1)),
    ("Action sociale", "Aide à domicile (heures)", 2150, (2, 12)),
    ("Action sociale", "Épicerie solidaire", 350, (2, 8)),
    ("Action sociale", "Séjour vacances familles", 9500, (1, 1)),
)
