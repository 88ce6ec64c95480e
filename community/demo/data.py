"""The demo community that ``manage.py seed_demo`` loads: a home-brewing brand and its customers.

Plain data, so later capabilities extend it by adding entries. Threads are written in the
voice of real customers: most of them are customers helping each other, a few are the brand
talking alone (the host dashboard should show both).
"""

# Published in the README: demo accounts exist only on development machines (seed_demo refuses
# to run with DEBUG off unless told otherwise).
DEMO_PASSWORD = "gravity-demo-2026"  # noqa: S105  # nosec B105

HOSTS = [
    ("hana", "Hana Okafor", "Community host. Brewer of saisons, collector of yeast strains."),
    ("marco", "Marco Lindqvist", "Product specialist at the brand. Ask me about kettles."),
]

MEMBER_NAMES = [
    "Aisha Bello", "Ben Carter", "Chloé Martin", "Dev Patel", "Elena Rossi", "Finn O'Brien",
    "Grace Kim", "Hiro Tanaka", "Isla Murray", "Jonas Weber", "Kemi Adeyemi", "Luca Bianchi",
    "Maya Cohen", "Nils Berg", "Olivia Brown", "Pablo Ortega", "Quinn Taylor", "Rosa Méndez",
    "Sam Wilson", "Tara Singh", "Umar Farooq", "Vera Novak", "Will Evans", "Xiu Chen",
    "Yara Haddad", "Zoe Dubois", "Arjun Rao", "Bea Schmidt", "Carlos Silva", "Dana Levy",
    "Emil Larsen", "Fatima Zahra", "Gus Anderson", "Helga Nilsen", "Ivan Petrov",
    "Jade Nguyen", "Kofi Mensah", "Lena Hoffmann", "Mo Rahman", "Nora Walsh",
]

PRODUCTS = [
    "Starter Kit", "Pro Kettle 30L", "Smart Fermenter", "Hydrometer Set", "Wort Chiller",
    "Keg System",
]
INTERESTS = ["IPAs", "sours", "lagers", "stouts", "water chemistry", "yeast", "kegging",
             "all-grain", "extract brewing", "food pairing"]

SPACES = [
    ("Brewing kits", "Setting up, using and upgrading our kits and kettles.", 0),
    ("Fermentation", "Yeast, temperatures, airlocks and the Smart Fermenter.", 1),
    ("Recipes & styles", "Share recipes, tweak them together, compare styles.", 2),
    ("Tasting & pairing", "What to drink with what, and how to judge your own beer.", 3),
    ("Brewing classes", "Step-by-step lessons from our brewers.", 4),
]

PARTNER = {
    "name": "Northfield Hop Farm",
    "website": "https://northfield-hops.example",
    "members": ["pablo", "vera"],
}

# What the busiest tags are about, as staff would write it in the admin (the tag pages).
TAG_DESCRIPTIONS = {
    "yeast": "Strains, pitching rates, starters and harvesting yeast.",
    "smart-fermenter": "The Smart Fermenter: set-up, firmware, the app and the heater.",
    "ipa": "Hop-forward pale ales: recipes, dry hopping and keeping them fresh.",
    "lager": "Cold fermentation, lagering times and clean, crisp beers.",
    "recipes": "Grain bills and schedules to brew, scale and share.",
    "lessons": "The brewing classes' lessons, step by step.",
}

# (space index, kind, author, title, body, tags, replies)
# replies: (author, body, kind) where kind is "answer" or "reply"; an answer marked
# "accepted" is accepted by the asker.
THREADS = [
    (1, "question", "aisha", "Fermentation stopped after two days, is it stuck?",
     "My pale ale started bubbling hard and stopped after 48 hours. Gravity reads 1.020, "
     "target was 1.010. Smart Fermenter is at 19 °C. Should I pitch more yeast?",
     ["yeast", "stuck-fermentation"],
     [("ben", "Two days of vigorous activity is normal for ale yeast. Give it a week before "
       "you worry. Raise it to 21 °C for the last days so the yeast cleans up.", "accepted"),
      ("chloe", "Same here last month; it finished at 1.011 after ten days. Patience!", "answer"),
      ("aisha", "@ben thanks, raised the temperature, it's moving again.", "reply")]),
    (0, "question", "dev", "Pro Kettle 30L: boil-over every single time",
     "The kettle boils over within minutes of the hot break. Any tricks beyond standing "
     "next to it with a spray bottle?",
     ["pro-kettle", "boil"],
     [("elena", "Turn the element down to 70% right at the hot break, then back up. A few "
       "drops of anti-foam help too.", "accepted"),
      ("finn", "I clip a stainless spoon across the top: it breaks the foam.", "answer"),
      ("marco", "Elena's tip is exactly what we recommend; the manual's page 12 has the "
       "power curve.", "reply")]),
    (2, "discussion", "grace", "Share your best hazy IPA grain bill",
     "Mine: 70% pale, 15% oats, 15% wheat, whirlpool Citra and Mosaic. What's yours?",
     ["ipa", "recipes"],
     [("hiro", "I go 20% oats and add a touch of honey malt. Softer mouthfeel.", "reply"),
      ("isla", "@grace tried yours last weekend, very juicy. Cut the wheat to 10% next time.",
       "reply"),
      ("jonas", "Add some Galaxy in the dry hop if you can find it.", "reply"),
      ("grace", "@isla good call, wheat made it a bit bready.", "reply")]),
    (3, "discussion", "kemi", "What do you pair with a smoked porter?",
     "Brewed my first smoked porter. Looking for food ideas beyond barbecue.",
     ["porter", "food-pairing"],
     [("luca", "Aged gouda. Trust me.", "reply"),
      ("maya", "Dark chocolate and sea salt, and mushroom risotto.", "reply"),
      ("kemi", "@luca gouda was perfect, thank you!", "reply")]),
    (1, "question", "nils", "Is a blow-off tube needed with the Smart Fermenter?",
     "The lid has a built-in airlock. For a very active Belgian yeast, do I still need a "
     "blow-off tube?",
     ["smart-fermenter", "yeast"],
     [("olivia", "Yes for Belgian strains: krausen reaches the lid. The tube fits the airlock "
       "grommet.", "accepted")]),
    (2, "question", "quinn", "How do I adjust water for a Pilsner?",
     "My tap water is hard (300 ppm). Can I brew a decent Pilsner with it?",
     ["water-chemistry", "lager"],
     [("rosa", "Dilute 3:1 with distilled water and add a little calcium chloride.",
       "accepted"),
      ("sam", "Or use RO water entirely and build up from there; the Starter Kit booklet has "
       "a table.", "answer")]),
    (0, "question", "tara", "Wort chiller leaking at the hose connection",
     "Water sprays from the inlet fitting. I tightened the clamp. Any ideas?",
     ["wort-chiller"], []),
    (1, "question", "umar", "Lager yeast at room temperature?",
     "Can I ferment a lager strain at 18 °C if I don't have temperature control?",
     ["lager", "yeast"],
     [("vera", "Some strains (34/70) do well at 16-18 °C. Pitch more yeast than usual.",
       "answer")]),
    (2, "discussion", "will", "Post your brew day photos",
     "Show us your setup! Mine is a garage corner with the Pro Kettle and a very old fridge.",
     ["brew-day"],
     [("xiu", "Balcony brewing here, the neighbours love the smell.", "reply"),
      ("yara", "Kitchen stove plus Starter Kit, small but mighty.", "reply"),
      ("zoe", "@will the old fridge is the best fermentation chamber!", "reply")]),
    (3, "question", "arjun", "How do I judge off-flavours in my own beer?",
     "My stout tastes a bit like cardboard. Which off-flavour is that, and what causes it?",
     ["off-flavours", "stout"],
     [("bea", "Cardboard is oxidation: splashing when transferring or old bottled beer. "
       "Transfer with a tube to the bottom.", "accepted"),
      ("carlos", "Also check the age of your malt extract.", "answer")]),
    (0, "discussion", "hana", "Welcome! Introduce yourself here",
     "New here? Tell us what you brew and what you'd like to learn. We'll connect you with "
     "people brewing the same things.",
     ["welcome"],
     [("dana", "Hi! Extract brewer from Lisbon, want to move to all-grain.", "reply"),
      ("emil", "@dana I made that move last year, happy to help.", "reply")]),
    (0, "discussion", "marco", "Firmware 2.4 for the Smart Fermenter",
     "Firmware 2.4 improves temperature stability and adds a cold-crash profile.",
     ["smart-fermenter"],
     [("marco", "Update instructions: hold the button for five seconds while plugging in.",
       "reply"),
      ("hana", "The release notes are in the app.", "reply")]),
    (0, "announcement", "hana", "Spring brew-along starts on the 1st",
     "Join the spring brew-along: one recipe, brewed together, tasted together. Sign-up in the "
     "projects section.", [], []),
    (2, "question", "fatima", "Can I replace Citra with something cheaper?",
     "Citra is expensive here. What gives a similar profile?",
     ["hops", "ipa"],
     [("gus", "Try El Dorado or Amarillo.", "answer"),
      ("pablo", "From the farm side: our Cascade this year is very citrusy and local to many "
       "of you.", "answer")]),
    (0, "question", "sam", "Warranty on the Smart Fermenter heating pad?",
     "The heating pad stopped working after eight months. Is it covered, and how do I claim?",
     ["smart-fermenter", "warranty"],
     [("hana", "Yes, two years. Reply with your order number by private message and we "
       "ship a new pad this week.", "accepted"),
      ("sam", "@hana thank you, sent!", "reply")]),
    (1, "question", "maya", "Kveik at 35 °C: does it really not produce off-flavours?",
     "Everyone says kveik is clean at high temperatures. Experiences?",
     ["yeast", "kveik"],
     [("jonas", "Voss kveik at 35 °C gave me a clean orange note, done in 3 days.",
       "answer"),
      ("nils", "Hornindal was fruitier for me. Both good, no fusel.", "answer"),
      ("marco", "The Smart Fermenter's heater tops out at 32 °C; wrap it for higher.",
       "answer")]),
    (2, "question", "ivan", "Scaling a 5-gallon recipe down to 1 gallon?",
     "Is it just dividing everything by five, hops included?", ["recipes"], []),
    (3, "question", "helga", "Serving temperature for a Belgian tripel?",
     "What's the right serving temperature? I served it cold and it tasted flat.",
     ["belgian", "serving"], []),
    # The brand talking alone: the dashboard warns about this space.
    (4, "discussion", "marco", "Lesson 1: cleaning and sanitising",
     "Clean first, then sanitise. Use the no-rinse sanitiser from the Starter Kit, two minutes "
     "of contact time.", ["lessons"],
     [("marco", "Homework: sanitise your fermenter and post a photo.", "reply"),
      ("hana", "Reminder: class two is on Thursday.", "reply")]),
    (4, "discussion", "hana", "Lesson 2: your first extract brew",
     "Steep the grains at 68 °C for 30 minutes, then add the extract off the heat.",
     ["lessons"],
     [("hana", "The slides are in the app.", "reply"),
      ("marco", "Questions go in the comments below.", "reply")]),
]

# Joined in the last days and have not posted yet: the host's welcome queue.
NEWCOMERS = [
    ("Priya Nair", 2, "Starter Kit", "IPAs"),
    ("Tomás Ruiz", 5, "Pro Kettle 30L", "lagers, water chemistry"),
]

# A new account advertising in a thread; two members flag it and it waits for a host.
SPAM = {
    "author": ("Deal Hunter", "deal_hunter"),
    "thread": "Post your brew day photos",
    "body": "Huge discount on kegs at cheap-kegs.example, message me for the code!!!",
    "flaggers": ["will", "xiu"],
}

# Members' collections: (owner, title, description, featured by a host, threads by title;
# an entry "answers:<title>" collects that thread's first answer instead of the thread).
COLLECTIONS = [
    ("aisha", "Best of fermentation",
     "Stuck ferments, blow-off tubes, kveik and lager yeast: the answers I keep going back to.",
     True,
     ["Fermentation stopped after two days, is it stuck?",
      "answers:Is a blow-off tube needed with the Smart Fermenter?",
      "Kveik at 35 °C: does it really not produce off-flavours?",
      "Lager yeast at room temperature?"]),
    ("grace", "Hop swaps and grain bills",
     "Recipes and substitutions from people who brewed them.", False,
     ["Share your best hazy IPA grain bill",
      "Can I replace Citra with something cheaper?",
      "Scaling a 5-gallon recipe down to 1 gallon?"]),
]

# A running moment, its photos drawn by community.demo.photos; "featured": the hosts' picks.
MOMENT = {
    "host": "hana",
    "title": "Show us your brew day",
    "brief": "Mash, boil, pitch, mess: show us a photo of your brew day with a line about it, "
             "or tell us the story of one that went sideways. The hosts pick favourites for "
             "the home page.",
    "space": "Recipes & styles",
    "cover": ("kettle", "A steel kettle on the boil with steam rising"),
    "entries": [
        ("aisha", "mash", "Crushed grain stirred in a round mash tun with a wooden paddle",
         "Mashing in at 67 °C for my first all-grain saison.", True),
        ("ben", "pint", "A pint of amber ale with a thick white head",
         "Six weeks later: the amber ale I brewed on a snowy Sunday.", True),
        ("grace", "hops", "Green hop cones fresh from the garden",
         "Picked this morning for a wet-hop pale ale.", False),
        ("dev", "bottles", "Seven bottles with blank labels lined up on the worktop",
         "Bottling day. Labels to follow, once I name it.", False),
        ("elena", None, None,
         "The day the blow-off tube popped off at 2 am: I woke to a kitchen that smelt like "
         "a bakery and a ceiling speckled with krausen. Lesson learnt: tape it down.", False),
    ],
    "replies": [  # (author, entry index, reply)
        ("finn", 0, "67 is my saison temperature too. Which yeast?"),
        ("aisha", 0, "Belle Saison, it was bubbling within the hour."),
        ("chloe", 1, "That colour is spot on for an amber."),
        ("hiro", 4, "Ha, been there. A bigger fermenter fixed it for me."),
    ],
}

# The shop's catalogue: (sku, name, line, description, space, tag, photo scene or None,
# photo description, the main product's sku or None). The kettle's tag is the one its
# members' questions already carry, so they show on its page.
CATALOGUE = {
    "host": "marco",
    "shop": "https://shop.gravity.test/p/",
    "products": [
        ("PK-30", "Pro Kettle 30L", "Pro",
         "A 30-litre stainless kettle with a 3 kW element, a ball-valve tap, a thermometer "
         "port and litre marks inside. Boils 25 litres of wort in about 40 minutes.",
         "Brewing kits", "pro-kettle", "kettle", "The Pro Kettle 30L on a worktop, steaming",
         None),
        ("PK-30-HS", "Hop Spider for the Pro Kettle", "Pro",
         "A fine stainless mesh basket that hangs on the rim: hops stay out of the tap.",
         "Brewing kits", "", "spider", "A mesh hop basket hanging in a kettle", "PK-30"),
        ("PK-30-EL", "Spare 3 kW Element", "Pro",
         "The Pro Kettle's heating element, with its gasket and a spanner.",
         "Brewing kits", "", None, "", "PK-30"),
        ("PK-30-AF", "Anti-foam Drops", "Pro",
         "Silicone drops against boil-overs: two drops at the hot break.",
         "Brewing kits", "", None, "", "PK-30"),
        ("SF-25", "Smart Fermenter", "Smart",
         "A 25-litre fermenter that holds its temperature to half a degree and logs the "
         "gravity to your phone.", "Fermentation", "smart-fermenter", "fermenter",
         "The Smart Fermenter with its display glowing", None),
        ("SK-1", "Starter Kit", "Essentials",
         "Everything for a first brew: a 23-litre bucket, an airlock, a hydrometer, a "
         "siphon, sanitiser and a recipe to start with.", "Brewing kits", "", "bottles",
         "Bottles of a first brew in a row", None),
    ],
    # (asker, sku, title, body, answers: (author, body))
    "questions": [
        ("tara", "SF-25", "Does the Smart Fermenter's app work without Wi-Fi?",
         "My garage has no Wi-Fi. Will the fermenter still hold its temperature, and does "
         "it keep the readings until the phone is back in range?",
         [("hiro", "Yes: the temperature control runs on the fermenter itself. The readings "
                   "are kept for two weeks and sync when your phone connects over "
                   "Bluetooth."),
          ("umar", "Mine sits in a shed. I sync once a week when I check it, no gaps.")]),
        ("will", "PK-30-HS", "Does the hop spider fit a 30L kettle from another brand?",
         "I have an older 30-litre kettle with a rolled rim. Will the spider's hooks hold?",
         []),
    ],
    # Who owns what: (member, SKU, days since the order; None: said by the member, no
    # order on file). Orders verify ownership as the shop's order export would.
    "owners": [
        ("hiro", "SF-25", 120), ("umar", "SF-25", None), ("hiro", "PK-30", 300),
        ("umar", "PK-30", 45), ("tara", "SK-1", 20), ("will", "PK-30", None),
    ],
}
