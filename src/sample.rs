//! Generated maps of any size for benchmarks and tests: deterministic (the same count
//! always gives the same map) and shaped like a real e-commerce journey, with titles and
//! notes of varied lengths, channels, severities, tags, metrics and owners.

use crate::model::{
    Card, CardId, Channel, Evidence, Lane, LaneId, LaneKind, Map, MapKind, Metric, Persona,
    PersonaId, Phase, Severity, Stage, StageId,
};

/// A map of exactly `cards` cards: one emotion point per stage (for the first `cards`
/// stages when there are fewer cards than stages), the rest dealt round the cells of the
/// card lanes so that every cell holds about as many. It loads without a warning.
pub fn generated_map(cards: usize) -> Map {
    let (stages, card_lanes) = shape(cards);
    let roles = &Role::ALL[..card_lanes];
    let lane_id = |row: usize| LaneId::new(format!("l{}", row + 1));
    let mut lanes: Vec<Lane> = roles
        .iter()
        .enumerate()
        .map(|(row, role)| Lane::new(lane_id(row).0, role.lane_name(), LaneKind::Cards))
        .collect();
    let emotion = Lane::new(lane_id(card_lanes).0, "Emotion", LaneKind::Emotion);
    // The curve sits below the thoughts, as in the templates.
    lanes.insert(4, emotion.clone());
    let mut map = Map {
        title: format!("Online store: first order ({cards} cards)"),
        description: "A first-time buyer's path through an online store, generated.".to_owned(),
        kind: MapKind::CurrentState,
        personas: vec![persona()],
        stages: (0..stages).map(stage).collect(),
        lanes,
        ..Map::default()
    };

    let points = cards.min(stages);
    let mut random = Lcg(0x5eed);
    for k in 0..cards - points {
        let cell = k % (stages * card_lanes);
        let (row, column) = (cell / stages, cell % stages);
        let id = CardId::new(format!("c{}", map.cards.len() + 1));
        let place = (map.stages[column].id.clone(), lane_id(row));
        let progress = column as f32 / stages as f32;
        let card = roles[row].card(id, place, progress, &mut random);
        map.cards.push(card);
    }
    for column in 0..points {
        let id = CardId::new(format!("c{}", map.cards.len() + 1));
        let place = (map.stages[column].id.clone(), emotion.id.clone());
        map.cards.push(emotion_point(id, place, column));
    }
    map
}

/// Stages and card lanes for a card count: the lanes of a typical map, and enough stages
/// for a few cards per cell and a map a little wider than tall.
fn shape(cards: usize) -> (usize, usize) {
    let card_lanes = if cards < 200 { 6 } else { Role::ALL.len() };
    // 240-point columns and ~100-point cards: width ≈ 240 × stages and height ≈ 100 × cards
    // per column (cards / stages), so width ÷ height ≈ 2.4 stages² ÷ cards, 1.4 here.
    let stages = (0.6 * cards as f64).sqrt().round() as usize;
    (stages.clamp(3, 80), card_lanes)
}

/// Knuth's MMIX LCG: enough variety for sample content, with no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True once in `n` times on average.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

fn numbered(name: &str, round: usize) -> String {
    if round == 0 {
        name.to_owned()
    } else {
        format!("{name} ({})", round + 1)
    }
}

fn stage(index: usize) -> Stage {
    let mut stage = Stage::new(
        format!("s{}", index + 1),
        numbered(STAGES[index % STAGES.len()], index / STAGES.len()),
    );
    // Each stage keeps about 85% of the visitors of the one before.
    stage.funnel = Some((120_000.0 * 0.85_f64.powi(index as i32)).round() as u64);
    stage
}

fn persona() -> Persona {
    Persona {
        id: PersonaId::new("p1"),
        name: "Maya Okafor".to_owned(),
        role: "29, nurse, shops on her phone between shifts".to_owned(),
        quote: "If I can't see the delivery date before I pay, I'm gone.".to_owned(),
        goals: vec!["Get the right size the first time".to_owned()],
        pain_points: vec!["Fees that only appear at checkout".to_owned()],
        channels: vec![Channel::Social, Channel::App, Channel::Email],
        ..Persona::default()
    }
}

fn emotion_point(id: CardId, (stage, lane): (StageId, LaneId), index: usize) -> Card {
    const CURVE: [(i8, &str); 8] = [
        (1, "Curious"),
        (1, "Hopeful about the price"),
        (0, "Unsure about the size"),
        (-1, "Annoyed by the shipping fee"),
        (-2, "Worried the parcel is lost"),
        (0, "Relieved it arrived"),
        (2, "Delighted with the fit"),
        (1, "Happy to order again"),
    ];
    let (score, title) = CURVE[index % CURVE.len()];
    Card {
        emotion: Some(score),
        persona: Some(PersonaId::new("p1")),
        ..Card::new(id.0, stage, lane, title)
    }
}

/// What a card lane holds, which decides the fields its cards fill in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Goals,
    Touchpoints,
    Actions,
    Thoughts,
    Pains,
    Opportunities,
    Kpis,
    Backstage,
}

impl Role {
    const ALL: [Role; 8] = [
        Role::Goals,
        Role::Touchpoints,
        Role::Actions,
        Role::Thoughts,
        Role::Pains,
        Role::Opportunities,
        Role::Kpis,
        Role::Backstage,
    ];

    fn lane_name(self) -> &'static str {
        match self {
            Role::Goals => "Customer goals",
            Role::Touchpoints => "Touchpoints",
            Role::Actions => "Customer actions",
            Role::Thoughts => "Thoughts & feelings",
            Role::Pains => "Pain points",
            Role::Opportunities => "Opportunities",
            Role::Kpis => "KPIs",
            Role::Backstage => "Backstage",
        }
    }

    /// A card of this lane, `progress` (0..1) along the journey.
    fn card(
        self,
        id: CardId,
        (stage, lane): (StageId, LaneId),
        progress: f32,
        r: &mut Lcg,
    ) -> Card {
        let title = match self {
            Role::Thoughts => format!("“{}”", r.pick(&THOUGHTS)),
            _ => r.pick(&PHRASES).to_owned(),
        };
        let mut card = Card::new(id.0, stage, lane, title);
        card.phase = Some(match progress {
            p if p < 0.4 => Phase::Before,
            p if p < 0.7 => Phase::During,
            _ => Phase::After,
        });
        let notes_one_in = match self {
            Role::Goals | Role::Pains => 2,
            Role::Kpis | Role::Backstage => 5,
            _ => 3,
        };
        if r.one_in(notes_one_in) {
            card.notes = r.pick(&NOTES).to_owned();
        }
        match self {
            Role::Touchpoints | Role::Actions => card.channel = Some(r.pick(&CHANNELS)),
            Role::Pains => {
                card.channel = Some(r.pick(&CHANNELS));
                card.severity = Some(r.pick(&[Severity::Low, Severity::Medium, Severity::High]));
                card.evidence = Some(r.pick(&[Evidence::Observed, Evidence::Assumed]));
            }
            Role::Opportunities => {
                card.evidence = Some(Evidence::Proposed);
                card.owner = r.pick(&OWNERS).to_owned();
            }
            Role::Kpis => {
                let (label, value) = r.pick(&METRICS);
                card.metric = Some(Metric {
                    label: label.to_owned(),
                    value: value.to_owned(),
                });
            }
            Role::Backstage => card.owner = r.pick(&OWNERS).to_owned(),
            Role::Goals | Role::Thoughts => {}
        }
        if r.one_in(6) {
            card.tags.push(r.pick(&TAGS).to_owned());
        }
        card
    }
}

const STAGES: [&str; 20] = [
    "Discover",
    "Research",
    "Compare",
    "Browse",
    "Product page",
    "Add to cart",
    "Sign in",
    "Checkout",
    "Payment",
    "Confirmation",
    "Dispatch",
    "Delivery",
    "Unboxing",
    "First use",
    "Support",
    "Returns",
    "Review",
    "Reorder",
    "Loyalty",
    "Advocacy",
];

/// Card titles, from a few words to two lines.
const PHRASES: [&str; 30] = [
    "Product page",
    "Size guide",
    "Free returns banner",
    "Reads the reviews with photos",
    "Compares prices on a marketplace",
    "Abandons the cart at the shipping step",
    "Checkout as a guest",
    "Pays with a wallet in two taps",
    "Promo code field sends her hunting for codes",
    "Order confirmation email",
    "Tracking link in a text message",
    "Parcel left with a neighbour",
    "Unboxing and first try-on",
    "Return label printed at home",
    "Refund takes ten days to arrive",
    "Loyalty points shown in the app",
    "Back-in-stock alert",
    "Delivery date shown before payment",
    "Search returns nothing for a typo",
    "Filters reset after going back",
    "Chat answers within two minutes",
    "Review request a week after delivery",
    "Wishlist shared with a friend",
    "Buy now, pay later at checkout",
    "Stock check in a nearby store",
    "Newsletter sign-up pop-up on first visit",
    "Wrong size, exchanged in store",
    "Referral discount for both friends",
    "Subscription for monthly refills",
    "Price drop notification",
];

/// What the customer thinks, for the thoughts lane.
const THOUGHTS: [&str; 10] = [
    "Is this the real price?",
    "Will it fit me?",
    "Why do I need an account to pay?",
    "Where is my parcel?",
    "That was easier than I expected",
    "I'll wait for a discount code",
    "Do they deliver on Saturdays?",
    "Returning this is going to be a hassle",
    "Nice, it remembered my size",
    "I'd tell a friend about this shop",
];

/// Card notes, from one line to four.
const NOTES: [&str; 12] = [
    "Seen on a phone, mostly in the evening.",
    "A third of visitors leave at this step.",
    "Wants to know the total cost, fees included, before typing a card number.",
    "Keeps two tabs open and switches between them several times.",
    "Asks a friend who bought from the store last month whether it is worth it.",
    "The promise was three working days; two tracking texts changed the date and nobody explained why.",
    "Support tickets mention this twice a week.",
    "Only shown to signed-in customers, so guests never see it.",
    "The code from the newsletter has expired, and the error message does not say so.",
    "Returns are free in store but cost €4.95 by post, which the policy page only mentions at the very bottom.",
    "Works well on desktop; the mobile layout hides the button below the fold.",
    "Measured over the last 30 days.",
];

const CHANNELS: [Channel; 10] = [
    Channel::Website,
    Channel::App,
    Channel::Email,
    Channel::Sms,
    Channel::Social,
    Channel::Search,
    Channel::Ads,
    Channel::Chat,
    Channel::Store,
    Channel::Delivery,
];

const OWNERS: [&str; 6] = [
    "Growth",
    "CX",
    "CRM",
    "Ops team",
    "Payments squad",
    "Logistics",
];

const TAGS: [&str; 6] = ["checkout", "quick win", "mobile", "test", "returns", "Q3"];

const METRICS: [(&str, &str); 8] = [
    ("Conversion", "2.4%"),
    ("CTR", "1.9%"),
    ("Abandonment", "71%"),
    ("On time", "88%"),
    ("NPS", "+31"),
    ("Repeat", "24%"),
    ("AOV", "€62"),
    ("Review rate", "6%"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format;
    use std::collections::HashSet;

    #[test]
    fn generated_maps_have_exactly_the_cards_asked_for() {
        for cards in [0, 3, 100, 1_000, 10_000] {
            assert_eq!(generated_map(cards).cards.len(), cards, "{cards} cards");
        }
    }

    #[test]
    fn a_generated_map_loads_without_a_warning_and_unchanged() {
        for cards in [3, 100, 1_000] {
            let map = generated_map(cards);
            let loaded = format::parse(format::to_json(&map).as_bytes()).unwrap();
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(loaded.map, map, "{cards} cards");
        }
    }

    #[test]
    fn generated_ids_are_unique() {
        let map = generated_map(1_000);
        let cards: HashSet<_> = map.cards.iter().map(|c| &c.id).collect();
        let lanes: HashSet<_> = map.lanes.iter().map(|l| &l.id).collect();
        let stages: HashSet<_> = map.stages.iter().map(|s| &s.id).collect();
        assert_eq!(cards.len(), map.cards.len());
        assert_eq!(lanes.len(), map.lanes.len());
        assert_eq!(stages.len(), map.stages.len());
    }

    #[test]
    fn the_same_count_gives_the_same_map() {
        assert_eq!(generated_map(500), generated_map(500));
    }

    #[test]
    fn every_stage_has_one_emotion_point() {
        let map = generated_map(1_000);
        let emotion = map
            .lanes
            .iter()
            .find(|l| l.kind == LaneKind::Emotion)
            .unwrap();
        for stage in &map.stages {
            assert_eq!(map.cards_in(&stage.id, &emotion.id).count(), 1);
        }
    }
}
