"""Demo content for "The Military Army Blog", used to populate a sample Broadsheet site."""

from __future__ import annotations

DEMO_AUTHORS: list[dict] = [
    {
        "display_name": "Helen Walker",
        "slug": "helen-walker",
        "bio": (
            "Helen Walker covers diplomacy and security policy, with a particular interest in "
            "European alliances and arms control. She previously reported on Westminster politics."
        ),
        "username": "hwalker",
    },
    {
        "display_name": "Daniel Okafor",
        "slug": "daniel-okafor",
        "bio": (
            "Daniel Okafor writes about the armed forces, defence budgets and equipment "
            "programmes. He served for six years as a logistics officer before turning to "
            "journalism."
        ),
        "username": "dokafor",
    },
]

DEMO_CATEGORIES: list[dict] = [
    {
        "name": "Defence",
        "slug": "defence",
        "parent": None,
        "description": "The armed forces, their equipment, budgets and people.",
    },
    {
        "name": "Procurement",
        "slug": "procurement",
        "parent": "defence",
        "description": "How ships, aircraft and vehicles are chosen, contracted and delivered.",
    },
    {
        "name": "Diplomacy",
        "slug": "diplomacy",
        "parent": None,
        "description": "Talks, treaties and the relationships between governments.",
    },
    {
        "name": "Security",
        "slug": "security",
        "parent": None,
        "description": "Counter-terrorism, cyber defence and the protection of critical systems.",
    },
]

DEMO_ARTICLES: list[dict] = [
    {
        "title": "Theresa May and Vladimir Putin discuss security cooperation",
        "author": "helen-walker",
        "categories": ["diplomacy", "security"],
        "tags": ["United Kingdom", "Russia", "Counter-terrorism", "Aviation"],
        "days_ago": 58,
        "sticky": False,
        "excerpt": (
            "A telephone call between the two leaders focused on counter-terrorism and aviation "
            "security, according to brief official summaries released afterwards."
        ),
        "body": """\
The Prime Minister, Theresa May, and the Russian President, Vladimir Putin, spoke by telephone
about security cooperation, according to short readouts published by both governments after the
call. The summaries were brief and largely procedural, and neither side described any new
agreement.

## What the readouts said

Downing Street’s account said the conversation covered the shared threat from terrorism and the
importance of keeping channels open between security services on matters of public safety. The
Kremlin’s summary was similar in tone, referring to “practical cooperation” on counter-terrorism
without giving detail.

Both accounts mentioned aviation security. Officials said the leaders discussed the protection of
passenger flights and airports, an area in which the two countries have previously exchanged
information through established technical channels.[^1]

## Context

Relations between London and Moscow have been strained for several years, and contact at the
level of heads of government is infrequent. Calls of this kind tend to be framed narrowly, and
diplomats on both sides are usually careful to separate limited cooperation on specific threats
from the wider disagreements that remain.

A former Foreign Office adviser, speaking generally about such calls rather than this one, said
that the value often lies less in any announcement than in the fact that a conversation took
place at all — and that readouts are drafted to reassure domestic audiences as much as to inform
them.

## What happens next

Neither government indicated that a follow-up meeting had been arranged. Officials said working
contacts between the relevant agencies would continue “as appropriate”, a phrase that usually
signals routine exchanges rather than any broader change in policy.

Opposition MPs are expected to ask ministers for more detail on what information, if any, is
shared with Russian authorities, and on the safeguards that govern such exchanges. The
Government has previously said that any cooperation is assessed case by case and is kept
separate from its wider position on Russia.

[^1]: Aviation security exchanges between states are normally handled by transport and
    security officials rather than at political level, and are rarely disclosed in detail.
""",
    },
    {
        "title": "NATO ships gather in the Baltic for annual manoeuvres",
        "author": "daniel-okafor",
        "categories": ["defence"],
        "tags": ["NATO", "Baltic", "Navy", "Russia"],
        "days_ago": 44,
        "sticky": False,
        "excerpt": (
            "More than thirty vessels from a dozen allied navies are taking part in a two-week "
            "exercise focused on mine clearance and the protection of sea lanes."
        ),
        "body": """\
Warships from a dozen NATO members and partner nations have begun a two-week exercise in the
Baltic Sea, practising the skills needed to keep shipping lanes open in a crisis. Organisers said
more than thirty vessels and several maritime patrol aircraft were involved.

## The scenario

The exercise is built around a fictional scenario in which commercial shipping is disrupted and
allied navies must restore safe passage. According to the exercise headquarters, the main
activities include:

- mine countermeasures in shallow coastal waters;
- escorting merchant vessels through a simulated threat area;
- air defence drills with aircraft operating from nearby bases;
- amphibious landings on a training range along the coast;
- search-and-rescue and medical evacuation practice.

A spokesperson for the exercise, Commander Ingrid Halvorsen, said the aim was to test how ships
from different navies communicate when working at short notice. She described the shallow,
crowded waters of the Baltic as “one of the most demanding training areas in Europe”.

## Why the Baltic matters

The sea is bordered by several allied states and by the Russian exclave of Kaliningrad —
Калининград in Russian — which hosts a significant naval presence. Undersea cables and pipelines
on the seabed have drawn increased attention in recent years, and protecting them now features
prominently in allied planning.

Russian officials have in the past described such exercises as provocative. Allied governments
say the manoeuvres are defensive, scheduled long in advance and announced publicly, and that
observers are invited in line with existing arrangements.

## The British contribution

The Royal Navy has sent a frigate and a mine countermeasures vessel, alongside a small staff
team embedded in the multinational headquarters. Officers said the deployment would also be
used to trial new uncrewed systems for finding and identifying mines, which the Navy hopes will
reduce the need to send crewed ships into hazardous areas.

The exercise is due to end with a port visit and a review of lessons learned, which organisers
said would feed into next year’s planning.
""",
    },
    {
        "title": "Ministry of Defence names preferred bidder for new frigates",
        "author": "daniel-okafor",
        "categories": ["defence", "procurement"],
        "tags": ["Navy", "United Kingdom", "Procurement"],
        "days_ago": 30,
        "sticky": False,
        "excerpt": "",
        "body": """\
The Ministry of Defence has selected a preferred bidder to build a further batch of
general-purpose frigates for the Royal Navy, ending a competition that ran for more than two
years. Contract negotiations are expected to take several months before a final deal is signed.

## The decision

Officials said the winning proposal offered the best balance of cost, delivery schedule and
capability, and that it would sustain shipbuilding jobs at two yards in the United Kingdom. The
losing bidders have been informed and may request a debrief on how their proposals were scored.

The table below summarises the figures released alongside the announcement. They are planning
estimates and may change during negotiations.

| Item                      | Figure            |
|---------------------------|-------------------|
| Number of ships           | 5                 |
| Estimated programme cost  | £2.1 billion      |
| First steel cut           | Within two years  |
| First ship in service     | Early next decade |
| Crew per ship (approx.)   | 110               |

## Questions about cost

Defence procurement has a long history of delays and overruns, and the National Audit Office has
repeatedly warned about optimistic early estimates. Analysts said the price per ship looked
reasonable on paper but depended heavily on assumptions about inflation and the supply of
specialist components.

Dr Priya Raman, a fictional naval analyst quoted here for illustration, put it simply: the
headline figure is “the beginning of the conversation, not the end of it”. She added that the
real test would be whether the design was settled before construction started — a lesson drawn
from earlier programmes in which late changes added years to delivery.

## Capability

The frigates are intended for a wide range of tasks, from escorting larger vessels to patrolling
overseas territories and supporting humanitarian operations. They will carry a medium-calibre
gun, air defence missiles and a flight deck for a helicopter or uncrewed aircraft.

Ministers said the ships would allow older vessels to be retired on schedule, easing pressure on
a fleet that has been stretched by commitments at home and abroad. Opposition spokespeople
welcomed the jobs but asked for regular progress reports to Parliament.
""",
    },
    {
        "title": "New cyber defence centre opens with focus on critical infrastructure",
        "author": "helen-walker",
        "categories": ["security"],
        "tags": ["Cyber", "United Kingdom", "NATO"],
        "days_ago": 21,
        "sticky": False,
        "excerpt": (
            "The centre will bring military and civilian specialists together to respond to "
            "attacks on energy, water and transport networks."
        ),
        "body": """\
A new cyber defence centre has opened in the Midlands, bringing together military personnel,
civil servants and industry specialists in a single operations room. Its main task is to help
protect energy, water and transport networks from disruptive attacks.

## How it will work

The centre will monitor threats around the clock and coordinate responses when an incident
affects more than one sector. Officials said it would not replace existing agencies but would
give them a shared place to exchange information quickly, something that reviews of previous
incidents found to be lacking.

At the opening, the centre’s fictional director, Air Commodore Sarah Lindqvist, set out its
purpose in a short address:

> Most serious incidents do not respect the boundaries between departments. Our job is to make
> sure the right people are in the same room — and talking — before an attack, not after it.

Staff will also run regular exercises with infrastructure operators, including scenarios in
which several systems fail at once. The first of these is planned for the coming months.

## The wider picture

Governments across Europe have invested heavily in cyber defence as attacks attributed to both
criminal groups and state-linked actors have grown in number and sophistication. NATO recognised
cyberspace as an operational domain several years ago, and allies now share warning information
through established arrangements.

Security specialists cautioned that new buildings are only part of the answer. Many operators
still run older industrial control systems that were never designed to be connected to the
internet, and upgrading them is slow and costly. Recruiting and retaining skilled staff also
remains difficult, as the private sector can usually pay more.

## Oversight

Civil liberties groups have asked for clarity on what data the centre will collect and how long
it will be kept. Officials said the centre would handle technical information about threats
rather than the content of communications, and that its work would be subject to the same
oversight as other security bodies. A written statement to Parliament is expected to set out
the governance arrangements in more detail.
""",
    },
    {
        "title": "Analysis: what the new defence budget really buys",
        "author": "daniel-okafor",
        "categories": ["defence"],
        "tags": ["United Kingdom", "NATO", "Procurement"],
        "days_ago": 12,
        "sticky": True,
        "excerpt": (
            "The headline increase is real, but inflation, existing commitments and a growing "
            "equipment bill leave less room for new spending than the figures suggest."
        ),
        "body": """\
The Government’s latest spending plans include what ministers describe as a significant rise in
defence funding. Set against inflation and existing commitments, however, the picture is more
modest than the headline suggests.

## The numbers

The figures below are rounded and illustrative, drawn from the published plans. Spending is
expressed as a share of national income, the measure NATO uses to compare its members.

| Year        | Share of GDP | Cash total   | Change in real terms |
|-------------|--------------|--------------|----------------------|
| Last year   | 2.2%         | £53 billion  | —                    |
| This year   | 2.3%         | £57 billion  | +3.1%                |
| Next year   | 2.4%         | £61 billion  | +2.6%                |

On these figures, the United Kingdom remains above the alliance’s long-standing guideline of two
per cent. Much of the increase, though, is already allocated.

## Where the money goes

Three pressures dominate. The first is the nuclear deterrent, whose renewal absorbs a large and
growing share of the equipment budget. The second is pay: recruitment and retention problems
have pushed up the cost of keeping experienced personnel. The third is the replenishment of
munitions stocks, which were drawn down in recent years and are expensive to rebuild.

Once these are accounted for, the room for genuinely new projects is narrow. One fictional
budget analyst, Tom Hargreaves of a small independent think tank, described the settlement as
“a budget for catching up rather than moving ahead”.

## The equipment plan

The Ministry of Defence publishes a ten-year equipment plan, and successive versions have shown
a gap between planned spending and the money available. Officials say the gap has narrowed;
critics argue that this has been achieved partly by delaying programmes rather than cancelling
them, which tends to raise costs later.

## What to watch

The next test will be the detailed allocations to each service, due later in the year. Decisions
on the frigate programme, covered in
[our procurement reporting](/category/defence/procurement/), and on army vehicle upgrades
will show whether the extra money changes priorities or simply keeps existing plans on track.
""",
    },
    {
        "title": "Peacekeeping mission extended as talks on a settlement continue",
        "author": "helen-walker",
        "categories": ["diplomacy", "security"],
        "tags": ["United Nations", "Peacekeeping", "Army"],
        "days_ago": 6,
        "sticky": False,
        "excerpt": (
            "The Security Council has renewed the mission for another year, with British troops "
            "continuing to provide reconnaissance and engineering support."
        ),
        "body": """\
The United Nations Security Council has voted to extend a peacekeeping mission for a further
twelve months, giving negotiators more time to reach a political settlement. The vote was
unanimous, although several members said they wanted clearer benchmarks for progress.

## The British role

The United Kingdom contributes a reconnaissance task group of around two hundred and fifty
soldiers, along with a small engineering detachment that maintains roads and bridges used by
the mission. The deployment has been renewed several times and is expected to continue under
the new mandate.

Army officers said the main challenge was the size of the area to be covered. Long-range patrols
can last several weeks, and teams rely on local liaison staff to understand shifting conditions
between communities. Officials said the patrols had helped to reduce tension along the so-called
‘buffer zone’ and around a number of markets and water points, although incidents continue to
be reported.

## The diplomatic track

Talks between the parties have resumed after a pause of several months. Diplomats familiar with
the process said discussions had focused on local ceasefire arrangements, the return of
displaced families and the sharing of revenues from natural resources.

Progress has been slow. Mediators have previously described the process as “two steps forward,
one step back”, and some delegations have questioned whether the mission’s presence reduces the
pressure on political leaders to compromise. Supporters of the mission argue the opposite — that
without it, violence would rise and talks would collapse altogether.

## Funding and numbers

Peacekeeping budgets have come under pressure as member states review their contributions.
Several troop-contributing countries have signalled that they may reduce their presence, and the
UN has asked for additional helicopters and medical teams, both of which are in short supply.

British ministers said they remained committed to the mission and would review the UK’s
contribution later in the year. Parliamentarians on the Defence Committee have asked to visit the
deployment before that review is completed.
""",
    },
    {
        "title": "Army recruitment improves, but gaps remain in specialist trades",
        "author": "daniel-okafor",
        "categories": ["defence"],
        "tags": ["Army", "United Kingdom", "Recruitment", "Cyber"],
        "days_ago": 1,
        "sticky": False,
        "excerpt": (
            "Applications are up for the second year running, yet the Army is still short of "
            "engineers, medics and cyber specialists."
        ),
        "body": """\
The British Army has recorded a rise in applications for the second consecutive year, according
to figures released by the Ministry of Defence. Officials credited a simpler application process
and a new advertising campaign, but acknowledged that shortages persist in several trades.

## A faster process

For years the Army’s recruitment system was criticised for being slow, with some applicants
waiting many months between applying and starting training. Medical checks were a particular
bottleneck. Officials said changes to the process — including earlier access to medical records
and more flexible assessment dates — had reduced average waiting times considerably.

A fictional recruiting officer, Major James Whitfield, said the biggest difference was keeping in
touch with candidates. “If you leave someone waiting without news, they take another job,” he
said. “That’s the simplest lesson we’ve learned.”

## Where the gaps are

Overall numbers are improving, but the Army still reports shortfalls in:

- electronics and mechanical engineers;
- medics and nurses;
- cyber and signals specialists;
- drivers qualified for heavy vehicles.

These roles require long training and compete directly with well-paid civilian jobs. Retention
is also a concern: experienced soldiers in technical trades are often recruited by industry
once they have qualified.

## The bigger question

Defence analysts note that recruitment is only half of the problem. The size of the Army depends
as much on how many people leave as on how many join, and surveys of serving personnel have
pointed to concerns about accommodation, family life and pay.

The Ministry of Defence said it was investing in service housing and reviewing allowances, and
that further measures would be set out in the coming months. Opposition spokespeople welcomed
the improved figures but said the Army remained below its target strength and urged ministers to
publish a clear timetable for closing the gap.
""",
    },
]

DEMO_PAGES: list[dict] = [
    {
        "title": "About",
        "slug": "about",
        "parent": None,
        "menu_order": 1,
        "body": """\
**The Military Army Blog** is an independent site covering defence, diplomacy and security. Our
aim is simple: to report plainly on what governments and armed forces are doing, explain why it
matters, and avoid both alarm and cheerleading.

## Who we are

The blog is written by two correspondents.

**Helen Walker** covers diplomacy and security policy. She spent several years reporting on
Westminster before turning to foreign affairs, and follows European alliances, arms control and
counter-terrorism.

**Daniel Okafor** writes about the armed forces themselves — their budgets, their equipment and
the people who serve in them. He was an Army logistics officer for six years and has a
particular interest in how procurement decisions are made.

## What we publish

We publish news reports, short analysis pieces and occasional longer features. Where we rely on
official statements, we say so; where we offer our own judgement, we label it as analysis. We do
not publish anonymous claims without explaining why a source cannot be named.

You can read more about how we work on our [editorial standards](/about/editorial-standards/)
page. Corrections and comments are always welcome, and we aim to respond to every message that
points out an error.

All original text © The Military Army Blog. Short extracts may be quoted with attribution.
""",
    },
    {
        "title": "Editorial standards",
        "slug": "editorial-standards",
        "parent": "about",
        "menu_order": 2,
        "body": """\
We want readers to be able to trust what they read here. These are the standards we hold
ourselves to:

- **Accuracy first.** We check facts before publishing and prefer to be right rather than first.
- **Clear sourcing.** We say where information comes from, and distinguish official statements
  from our own analysis.
- **No invented quotes.** Where we summarise what officials said, we present it as a summary,
  not as their words.
- **Fairness.** We give people and organisations we report on a reasonable chance to respond.
- **Corrections.** When we get something wrong, we correct it promptly and note the change at
  the foot of the article.
- **Independence.** We accept no payment or hospitality that could influence our coverage.

If you believe we have fallen short of these standards, please get in touch via the
[About](/about/) page.
""",
    },
]
