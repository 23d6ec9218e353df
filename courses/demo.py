"""Demo courses as manifest sections, and demo learners' progress made through ``courses.services``.

Eight courses on partner-program themes, each with modules of lessons (text, callouts and
blocks showing assets of the demo library), module quizzes and some final quizzes drawn
from eight question banks mixing single-choice, multiple-choice and true/false questions.
Two prerequisite chains: fundamentals → SD-WAN selling → objection handling (and
fundamentals → security positioning), deal registration → renewals.

``demo_course_progress`` then enrols some demo partner users in courses they may see,
completes lessons and takes quizzes (passing, failing, sometimes failing then passing)
through the services, so enrolments, completions and grades are what the API would have
made. It only touches courses a user is not enrolled in yet, so re-running changes nothing.
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from cms.demo import OWNERS

# --- building blocks ---------------------------------------------------------------------------------------


def _text(*paragraphs: str) -> dict:
    return {"type": "text", "html": "".join(f"<p>{p}</p>" for p in paragraphs)}


def _list(intro: str, *items: str, ordered: bool = False) -> dict:
    tag = "ol" if ordered else "ul"
    return {"type": "text", "html": f"<p>{intro}</p><{tag}>{''.join(f'<li>{i}</li>' for i in items)}</{tag}>"}


def _callout(kind: str, text: str) -> dict:
    return {"type": "callout", "kind": kind, "html": f"<p>{text}</p>"}


def _tip(text: str) -> dict:
    return _callout("tip", text)


def _note(text: str) -> dict:
    return _callout("note", text)


def _warning(text: str) -> dict:
    return _callout("warning", text)


def _asset(product: str, topic: str, note: str, *types: str) -> dict:
    """A library asset of ``product`` (preferably of one of ``types``, on ``topic``), resolved to a demo key later."""
    return {"type": "asset", "asset": (product, topic, types), "note": note}


def _single(text: str, right: str, wrong: list[str], why: str = "") -> dict:
    choices = [{"text": w, "correct": False} for w in wrong]
    choices.insert(len(text) % (len(wrong) + 1), {"text": right, "correct": True})
    return {"kind": "single", "text": text, "explanation": why, "choices": choices}


def _multiple(text: str, right: list[str], wrong: list[str], why: str = "") -> dict:
    choices = [{"text": r, "correct": True} for r in right] + [{"text": w, "correct": False} for w in wrong]
    random.Random(text).shuffle(choices)
    return {"kind": "multiple", "text": text, "explanation": why, "choices": choices}


def _true_false(text: str, answer: bool, why: str = "") -> dict:
    return {
        "kind": "true_false",
        "text": text,
        "explanation": why,
        "choices": [{"text": "True", "correct": answer}, {"text": "False", "correct": not answer}],
    }


# --- question banks ----------------------------------------------------------------------------------------

BANKS = {
    "fundamentals": (
        "Portfolio fundamentals",
        "The six products, who buys them and how they are licensed.",
        [
            _single(
                "Which product replaces a branch's MPLS circuit with managed broadband links?",
                "SD-WAN",
                ["Backup Vault", "Threat Intel", "Cloud Gateway"],
                "SD-WAN steers traffic over several cheaper links and keeps applications on the best one.",
            ),
            _single(
                "How are most products licensed?",
                "Per-device or per-user subscriptions of one, three or five years",
                ["Perpetual licences with optional support", "Pay-per-gigabyte only", "Free with hardware"],
                "Subscriptions are the norm; only hardware appliances are bought outright.",
            ),
            _multiple(
                "Which products belong to the security portfolio?",
                ["Edge Firewall", "Secure Access", "Threat Intel"],
                ["Backup Vault", "SD-WAN"],
                "Backup Vault is data protection and SD-WAN is networking, though both sell well alongside security.",
            ),
            _true_false(
                "Threat Intel can be sold on its own, without any other product of the portfolio.",
                False,
                "Threat Intel is a feed for Edge Firewall and Secure Access; it is always attached to one of them.",
            ),
            _single(
                "A 40-person accounting firm wants protection against ransomware. Where do you start?",
                "Edge Firewall with Backup Vault",
                ["Secure Access for every employee", "SD-WAN across its two offices", "Threat Intel on its own"],
                "Small businesses buy outcomes: keep attackers out and be able to restore when something gets in.",
            ),
            _true_false(
                "Cloud Gateway can be deployed as a virtual appliance in the major public clouds.",
                True,
                "It runs as a virtual appliance in AWS, Azure and Google Cloud, and as a hosted service.",
            ),
            _multiple(
                "Which of these are co-terming rules?",
                ["Add-ons end on the same date as the base subscription", "A true-up is billed pro rata"],
                ["Each add-on renews on its own anniversary", "Co-terming needs a new contract"],
            ),
            _single(
                "Which tier unlocks not-for-resale lab licences?",
                "Silver and above",
                ["Every tier, including Registered", "Platinum only", "Gold and above"],
            ),
        ],
    ),
    "sdwan": (
        "SD-WAN selling",
        "Finding, qualifying and closing SD-WAN opportunities.",
        [
            _single(
                "What is the strongest trigger for an SD-WAN conversation?",
                "An MPLS contract up for renewal in the next 12 months",
                ["A new CIO's first week", "A firewall refresh", "A cloud backup project"],
                "A renewal date gives a deadline and a budget line that SD-WAN can replace.",
            ),
            _multiple(
                "Which discovery questions qualify an SD-WAN opportunity?",
                [
                    "How many branches do you have, and how are they connected today?",
                    "Which applications suffer most when a link is slow?",
                    "When does your MPLS contract end?",
                ],
                ["Which antivirus do you use?", "How many printers do you have?"],
            ),
            _true_false(
                "A proof of concept should cover every branch before the customer signs.",
                False,
                "Two or three representative sites with agreed success criteria are enough; wider pilots stall deals.",
            ),
            _single(
                "What typically makes the business case for SD-WAN?",
                "Lower cost per megabit plus less downtime at the branches",
                ["Fewer help-desk staff", "Lower licence cost than the firewall", "Faster laptops"],
            ),
            _single(
                "Who should you bring into the deal early, besides the network team?",
                "The finance owner of the telecom budget",
                ["The head of HR", "The facilities manager", "The marketing director"],
                "The savings land in the telecom budget; its owner signs off the business case.",
            ),
            _true_false(
                "SD-WAN can keep a voice call going when one of two links fails.",
                True,
                "Sub-second failover moves sessions to the healthy link; callers rarely notice.",
            ),
            _multiple(
                "Which belong in the success criteria of a proof of concept?",
                ["Failover time when a link drops", "Application performance at a named branch"],
                ["The colour of the dashboard", "Number of features demonstrated"],
            ),
            _single(
                "What does the ROI calculator need from the customer?",
                "Current circuit costs, branch count and outage history",
                ["Their firewall rules", "Their user directory", "Their cloud bill"],
            ),
            _true_false(
                "You should hand over to the deployment team only after the customer has paid.",
                False,
                "Introduce the deployment lead before signature: it reassures the customer and speeds go-live.",
            ),
        ],
    ),
    "security": (
        "Security positioning",
        "The threat landscape, the firewall against incumbents, zero trust.",
        [
            _single(
                "What worries mid-market boards most today?",
                "Ransomware stopping operations",
                ["Website defacement", "Spam", "Software licence audits"],
            ),
            _multiple(
                "Which are differentiators of Edge Firewall?",
                [
                    "Threat prevention on at full throughput",
                    "One policy across branch, data centre and cloud",
                    "Zero-touch provisioning",
                ],
                ["The lowest list price in every segment", "Unlimited free support"],
                "Lead with performance under inspection and one policy; never lead with price.",
            ),
            _true_false(
                "Zero trust means every access request is checked, wherever it comes from.",
                True,
                "Being on the corporate network no longer grants trust by itself.",
            ),
            _single(
                "A customer's VPN concentrator is end-of-life. What do you propose?",
                "Secure Access, to replace the VPN with per-application access",
                ["A bigger VPN concentrator", "Threat Intel on its own", "Backup Vault"],
            ),
            _true_false(
                "It is fine to claim a competitor 'has no threat prevention' if their datasheet is unclear.",
                False,
                "Only use claims from the current battlecards: wrong claims cost credibility and may breach law.",
            ),
            _multiple(
                "Which bundles are promoted this year?",
                ["Edge Firewall with Threat Intel", "Secure Access with Threat Intel"],
                ["Backup Vault with SD-WAN only", "Threat Intel with nothing else"],
            ),
            _single(
                "What should a security pitch end with?",
                "An offer of a free risk assessment with a clear next step",
                ["A price list", "A list of every feature", "A competitor comparison sheet"],
            ),
        ],
    ),
    "objections": (
        "Objection handling",
        "A method for objections, and answers to the common ones.",
        [
            _single(
                "What is the first step when a customer raises an objection?",
                "Listen to it fully without interrupting",
                ["Offer a discount", "Send the datasheet", "Escalate to your manager"],
                "Listen, acknowledge, explore, respond: in that order.",
            ),
            _true_false(
                "An objection usually means the customer has decided not to buy.",
                False,
                "Most objections are requests for information or reassurance: signs of interest.",
            ),
            _single(
                "The customer says: 'It's too expensive.' What do you ask?",
                "'Compared to what?'",
                ["'How much can you pay?'", "'Shall I take 20% off?'", "'Is that your final word?'"],
                "Find the reference point first: a competitor's quote, last year's budget or doing nothing.",
            ),
            _multiple(
                "Which are good responses to 'We have no budget this year'?",
                [
                    "Show savings that pay for the project within the budget year",
                    "Offer to phase the rollout over two budget years",
                ],
                ["Promise a bigger discount next quarter", "Agree and close the opportunity"],
            ),
            _single(
                "'We're happy with our current vendor.' What is the best reply?",
                "Ask what they would improve if they could change one thing",
                [
                    "List everything wrong with their vendor",
                    "Agree and leave a brochure",
                    "Offer a free product",
                ],
            ),
            _true_false(
                "A pilot at two sites with agreed exit criteria answers most 'migration is too risky' objections.",
                True,
            ),
            _multiple(
                "Which protect your margin when a discount is requested?",
                ["Trade the discount for a longer term", "Ask for a reference case in return"],
                ["Discount first, negotiate later", "Match any competitor quote unseen"],
                "Never give without getting: term, volume, timing or a reference.",
            ),
            _single(
                "A customer wants to wait for the next release. What do you explain?",
                "What they lose by waiting, and that upgrades are included in the subscription",
                [
                    "That the next release is cancelled",
                    "That prices go up tomorrow",
                    "That they can have the beta now",
                ],
            ),
        ],
    ),
    "deal-registration": (
        "Deal registration",
        "What registration gives you, eligibility, and the process.",
        [
            _single(
                "What does an approved deal registration give you?",
                "Extra discount and protection from other partners on that opportunity",
                ["A guaranteed win", "Free hardware", "A higher partner tier"],
            ),
            _true_false(
                "You can register a deal after the customer has received a quote from another partner.",
                False,
                "Registration is first come, first served: register as soon as the opportunity is qualified.",
            ),
            _multiple(
                "Which details are required to register a deal?",
                ["Customer name and address", "Estimated value and close date", "The products proposed"],
                ["The customer's tax return", "The end users' names"],
            ),
            _single(
                "How long is an approved registration valid?",
                "90 days, with one 30-day extension on request",
                ["One year", "Until the customer signs, whenever that is", "14 days"],
            ),
            _single(
                "Two partners register the same opportunity. Who gets it?",
                "The partner whose registration was approved first, unless the customer names another",
                ["The higher-tier partner", "The partner with the larger quote", "Both, shared 50/50"],
            ),
            _true_false(
                "Renewals of existing subscriptions need a new deal registration.",
                False,
                "Renewals stay with the partner of record; register only new business and expansions.",
            ),
            _multiple(
                "Which reasons lead to a rejected registration?",
                ["The opportunity is already registered", "Missing estimated value or close date"],
                ["The deal is too small for a gold partner", "The customer is in another city"],
            ),
        ],
    ),
    "mdf": (
        "Market development funds",
        "How MDF accrues, what it pays for, and claiming it.",
        [
            _single(
                "How do you earn MDF?",
                "It accrues as a percentage of your quarterly sales",
                ["It is a fixed yearly grant", "It is paid per registered deal", "It is bought with points"],
            ),
            _multiple(
                "Which activities can MDF pay for?",
                ["A joint webinar for prospects", "A trade-show booth featuring our products", "Digital ads"],
                ["Your sales team's salaries", "Office furniture"],
            ),
            _true_false(
                "An activity needs pre-approval before you spend the funds.",
                True,
                "Submit the plan in the portal at least 30 days before the activity.",
            ),
            _single(
                "What counts as proof of performance for a webinar?",
                "The attendee list and the recording",
                ["An invoice only", "A photo of the room", "A thank-you e-mail"],
            ),
            _single(
                "By when must a claim be filed?",
                "Within 60 days of the activity's end",
                ["Within 7 days", "By the end of the fiscal year", "Any time"],
            ),
            _true_false(
                "Co-branded material may alter the product logos to match your colours.",
                False,
                "Logos are used as supplied in the brand kit; only your own elements may change.",
            ),
            _multiple(
                "Which are the most common reasons claims are rejected?",
                ["Missing proof of performance", "Activity not pre-approved"],
                ["Claim filed in English", "Activity ran over two days"],
            ),
            _single(
                "Unused MDF at the end of a half-year is…",
                "…forfeited, so plan activities early",
                ["…paid out in cash", "…doubled next half-year", "…moved to another partner"],
            ),
        ],
    ),
    "technical": (
        "Technical onboarding",
        "Lab, deployment of Edge Firewall and SD-WAN, support.",
        [
            _single(
                "Where should your reference lab live?",
                "On an isolated network, never on production",
                ["On the customer's network", "On your office LAN", "On a public Wi-Fi"],
            ),
            _single(
                "What does zero-touch provisioning need at the branch?",
                "Power, an internet link and the device's serial number registered to the tenant",
                ["An engineer on site with a console cable", "A static public IP address", "A USB key"],
            ),
            _true_false(
                "A firmware upgrade can be rolled back to the previous version from the management console.",
                True,
                "The previous image is kept on the appliance; roll back in one step if validation fails.",
            ),
            _multiple(
                "Which are good policy design practices?",
                ["Group rules by application, not by port", "Log denied traffic during rollout"],
                ["Start with 'allow any' and tighten later", "Create one rule per user"],
            ),
            _single(
                "In SD-WAN, what is the underlay?",
                "The physical links: broadband, LTE, MPLS",
                ["The encrypted tunnels between sites", "The management console", "The application policies"],
            ),
            _true_false(
                "Application steering chooses a link for each application based on measured quality.",
                True,
            ),
            _multiple(
                "What should a support case include?",
                ["Serial number and software version", "Steps to reproduce and a diagnostic bundle"],
                ["The customer's contract value", "Only a screenshot"],
            ),
            _single(
                "What is the response time target for a priority-1 case?",
                "One hour, around the clock",
                ["One business day", "Four hours in business hours", "Next week"],
            ),
            _true_false(
                "Not-for-resale lab licences may be used for a paying customer's pilot.",
                False,
                "Pilots use evaluation licences from the portal; lab licences are for your own lab only.",
            ),
            _single(
                "Which tool collects a diagnostic bundle from an appliance?",
                "The 'Collect diagnostics' action in the management console",
                ["A packet capture on the customer's switch", "The billing portal", "A speed test"],
            ),
        ],
    ),
    "renewals": (
        "Renewals",
        "The renewal calendar, expansion at renewal, saving at-risk renewals.",
        [
            _single(
                "When should you start working a renewal?",
                "120 days before the end date",
                ["The week it expires", "After it has lapsed", "On the anniversary of the order"],
            ),
            _true_false(
                "Renewals usually carry a better margin than new business.",
                True,
                "Less cost of sale and renewal incentives make them your most profitable deals.",
            ),
            _multiple(
                "Which signals show a renewal is at risk?",
                ["Usage has dropped", "The customer's champion has left", "Open support escalations"],
                ["They paid the last invoice on time", "They asked for the renewal quote early"],
            ),
            _single(
                "What is co-terming?",
                "Aligning the end dates of several subscriptions to one date",
                ["Sharing a deal with another partner", "A discount for early payment", "A two-year term"],
            ),
            _single(
                "What is the best moment to propose an upgrade to a higher bundle?",
                "At renewal, with usage data that shows the need",
                ["Right after the first invoice", "During a support escalation", "Never"],
            ),
            _true_false(
                "A lapsed subscription can be renewed at the same price within 30 days without penalty.",
                True,
                "After 30 days a reinstatement fee applies.",
            ),
            _multiple(
                "Which help save an at-risk renewal?",
                ["A health check with the customer's team", "Involving the vendor's customer success manager"],
                ["Waiting for the customer to call", "Raising the price to signal value"],
            ),
        ],
    ),
}


# --- courses -----------------------------------------------------------------------------------------------

EVERYONE: dict = {}

COURSES = [
    {
        "key": "product-fundamentals",
        "title": "Product fundamentals: the portfolio in an hour",
        "summary": "The six products, the customers who buy them, and how licensing works. Start here.",
        "level": "beginner",
        "estimated_minutes": 60,
        "audience": EVERYONE,
        "bank": "fundamentals",
        "final_quiz": {"title": "Product fundamentals: final quiz", "questions_per_attempt": 6, "pass_mark": 70},
        "modules": [
            (
                "The portfolio at a glance",
                "Six products on one platform, and how they fit together.",
                {"title": "Portfolio check", "questions_per_attempt": 4, "pass_mark": 75},
                [
                    (
                        "Six products, one platform",
                        6,
                        [
                            _text(
                                "The portfolio has six products: <b>Edge Firewall</b>, <b>Secure Access</b> and "
                                "<b>Threat Intel</b> for security, <b>SD-WAN</b> and <b>Cloud Gateway</b> for "
                                "networking, and <b>Backup Vault</b> for data protection.",
                                "They share one management console, one policy model and one subscription "
                                "contract. That is the story customers remember: fewer consoles, fewer vendors.",
                            ),
                            _tip("Draw the platform on a whiteboard: six boxes under one console bar."),
                            _asset(
                                "cloud-gateway",
                                "Partner pitch deck",
                                "Use it in first meetings.",
                                "presentation",
                            ),
                        ],
                    ),
                    (
                        "Who buys what",
                        8,
                        [
                            _list(
                                "Each product has a typical first buyer:",
                                "Edge Firewall and Backup Vault: the IT manager of a small or mid-sized business.",
                                "SD-WAN: the network lead of a company with ten branches or more.",
                                "Secure Access: the security lead replacing an ageing VPN.",
                                "Cloud Gateway: the cloud architect moving workloads to AWS, Azure or Google Cloud.",
                            ),
                            _note(
                                "Threat Intel is never a first purchase: it is attached to a firewall or Secure "
                                "Access subscription."
                            ),
                        ],
                    ),
                    (
                        "How licensing works",
                        7,
                        [
                            _text(
                                "Products are sold as subscriptions of one, three or five years, per device "
                                "(Edge Firewall, SD-WAN, Cloud Gateway) or per user (Secure Access). Backup Vault "
                                "is priced per protected terabyte.",
                                "Add-ons bought during the term are co-termed: they end on the same date as the "
                                "base subscription and are billed pro rata.",
                            ),
                            _asset(
                                "edge-firewall",
                                "Pricing guide",
                                "Check current prices before you quote.",
                                "price_list",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Positioning by customer size",
                "Where to start the conversation with small, mid-market and enterprise customers.",
                None,
                [
                    (
                        "Small business: keep attackers out, be able to restore",
                        6,
                        [
                            _text(
                                "Small businesses buy outcomes, not features. Lead with Edge Firewall to keep "
                                "attackers out and Backup Vault to restore when something gets through."
                            ),
                            _tip(
                                "Ask: 'If your files were encrypted tomorrow, how long until you could invoice again?'"
                            ),
                        ],
                    ),
                    (
                        "Mid-market: the branch conversation",
                        8,
                        [
                            _text(
                                "Mid-market customers with branches feel the cost and fragility of MPLS. SD-WAN "
                                "opens the door; Edge Firewall at each branch follows naturally.",
                            ),
                            _asset(
                                "sd-wan",
                                "Solution brief",
                                "Leave it behind after the first meeting.",
                                "document",
                            ),
                        ],
                    ),
                    (
                        "Enterprise: zero trust and the cloud",
                        8,
                        [
                            _text(
                                "Enterprises are replacing VPNs and moving workloads to public clouds. Secure "
                                "Access and Cloud Gateway carry those projects, with Threat Intel attached.",
                            ),
                            _warning(
                                "Enterprise deals need the vendor's account team from the first meeting: "
                                "register the deal before you start."
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "sdwan-selling",
        "title": "Selling SD-WAN",
        "summary": "Find the opportunity, build the business case and close with a focused proof of concept.",
        "level": "intermediate",
        "estimated_minutes": 90,
        "prerequisites": ["product-fundamentals"],
        "audience": {"min_tier": "silver", "roles": ["sales", "technical"]},
        "bank": "sdwan",
        "final_quiz": {
            "title": "Selling SD-WAN: certification quiz",
            "pass_mark": 80,
            "attempt_limit": 3,
            "time_limit_minutes": 20,
        },
        "modules": [
            (
                "Find the opportunity",
                "Triggers, discovery questions and qualification.",
                {"title": "Finding SD-WAN opportunities", "questions_per_attempt": 4},
                [
                    (
                        "Spotting MPLS renewals",
                        7,
                        [
                            _text(
                                "The best SD-WAN opportunities start with a date: the end of an MPLS contract. "
                                "Carriers ask for notice six to twelve months ahead, so the decision is made long "
                                "before the contract ends.",
                                "Ask every customer with branches when their WAN contract renews, and note it in "
                                "your CRM.",
                            ),
                            _tip(
                                "Customers rarely know the date by heart: offer to look it up together with "
                                "their procurement team."
                            ),
                        ],
                    ),
                    (
                        "Discovery questions that work",
                        8,
                        [
                            _list(
                                "Five questions qualify most opportunities:",
                                "How many branches do you have, and how are they connected today?",
                                "Which applications suffer most when a link is slow?",
                                "What did your last outage cost?",
                                "When does your MPLS contract end?",
                                "Who owns the telecom budget?",
                                ordered=True,
                            ),
                            _asset(
                                "sd-wan",
                                "Sales playbook",
                                "Keep it at hand on discovery calls.",
                                "battlecard",
                            ),
                        ],
                    ),
                    (
                        "Qualifying the branch estate",
                        6,
                        [
                            _text(
                                "Ten branches is a good lower bound. Below that, a firewall with dual-WAN often "
                                "does the job; above it, central policy and application steering pay off quickly.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Build the business case",
                "The cost model, the ROI calculator and who signs off.",
                {"title": "Business case check", "questions_per_attempt": 3, "shuffle_choices": False},
                [
                    (
                        "The cost model: MPLS against broadband",
                        9,
                        [
                            _text(
                                "Compare the cost per megabit of MPLS with two broadband links per branch. The "
                                "savings usually pay for the SD-WAN subscription in the first year.",
                                "Add the cost of outages: hours of downtime times the branch's revenue per hour.",
                            ),
                            _note(
                                "The finance owner of the telecom budget signs off the business case: bring "
                                "them in early."
                            ),
                        ],
                    ),
                    (
                        "Using the ROI calculator",
                        7,
                        [
                            _text(
                                "The calculator needs current circuit costs, branch count and outage history. "
                                "Fill it in with the customer, not for them: they trust numbers they typed."
                            ),
                            _asset(
                                "sd-wan",
                                "ROI calculator guide",
                                "Fill in the numbers with the customer.",
                                "document",
                                "link",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Close and hand over",
                "A proof of concept that closes, and a clean handover.",
                None,
                [
                    (
                        "Running a proof of concept",
                        10,
                        [
                            _text(
                                "Pick two or three representative branches, agree success criteria in writing "
                                "(failover time, application performance at a named branch) and a date to decide.",
                            ),
                            _warning(
                                "A pilot without exit criteria becomes a free service. Agree the decision "
                                "date before shipping a single device."
                            ),
                        ],
                    ),
                    (
                        "Handing over to deployment",
                        5,
                        [
                            _text(
                                "Introduce the deployment lead before signature. Share the discovery notes, the "
                                "pilot results and the customer's change windows."
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "security-positioning",
        "title": "Positioning the security portfolio",
        "summary": "Talk about threats the way boards do, win against incumbents, and sell zero trust.",
        "level": "intermediate",
        "estimated_minutes": 75,
        "prerequisites": ["product-fundamentals"],
        "audience": {"partner_types": ["reseller", "si", "msp"], "roles": ["sales", "technical"]},
        "bank": "security",
        "modules": [
            (
                "The threats customers face",
                "Ransomware, and the questions boards now ask.",
                # Both quizzes of the security bank never show answers: a bank never feeds both kinds.
                {"title": "Threat landscape quiz", "questions_per_attempt": 3, "answers_shown": "never"},
                [
                    (
                        "Ransomware and the mid-market",
                        7,
                        [
                            _text(
                                "Mid-market companies are the preferred target: valuable enough to pay, rarely "
                                "staffed to respond around the clock. A single incident can stop invoicing for "
                                "weeks."
                            ),
                            _asset(
                                "threat-intel",
                                "Technical overview",
                                "Background for the board conversation.",
                                "document",
                            ),
                        ],
                    ),
                    (
                        "What boards ask their security leads",
                        6,
                        [
                            _list(
                                "Boards ask three questions; help your contact answer them:",
                                "Could it happen to us?",
                                "How fast would we know?",
                                "How fast could we recover?",
                            ),
                            _tip("Offer a free risk assessment: it gives your contact the answers for the board."),
                        ],
                    ),
                ],
            ),
            (
                "Edge Firewall against the incumbents",
                "Three differentiators, and traps to avoid.",
                None,
                [
                    (
                        "Three differentiators that matter",
                        8,
                        [
                            _list(
                                "Lead with what customers can measure:",
                                "Threat prevention stays on at full throughput.",
                                "One policy across branch, data centre and cloud.",
                                "Zero-touch provisioning: no engineer on site.",
                            ),
                            _asset(
                                "edge-firewall",
                                "Competitive battlecard",
                                "Read it before any competitive meeting.",
                                "battlecard",
                            ),
                        ],
                    ),
                    (
                        "Competitive traps to avoid",
                        6,
                        [
                            _warning(
                                "Only use claims from the current battlecards. A wrong claim about a "
                                "competitor costs credibility and can breach advertising law."
                            ),
                            _text(
                                "Never lead with price: the incumbent will match it, and you will have taught "
                                "the customer that price is what matters."
                            ),
                        ],
                    ),
                    (
                        "Using the battlecards",
                        5,
                        [
                            _text(
                                "Battlecards are updated every quarter. Check the version date before a "
                                "meeting and subscribe to updates in the portal."
                            ),
                            _asset(
                                "threat-intel",
                                "Competitive battlecard",
                                "Updated every quarter: check the version date.",
                                "battlecard",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Zero trust with Secure Access",
                "Zero trust without the jargon, replacing the VPN, and bundles.",
                {"title": "Zero trust quiz", "questions_per_attempt": 4, "answers_shown": "never"},
                [
                    (
                        "Zero trust without the jargon",
                        6,
                        [
                            _text(
                                "Zero trust means every access request is checked, wherever it comes from: "
                                "being on the office network no longer grants access by itself."
                            ),
                        ],
                    ),
                    (
                        "Replacing the VPN",
                        8,
                        [
                            _text(
                                "An end-of-life VPN concentrator is the perfect trigger. Secure Access gives each "
                                "user access to the applications they need, not to the whole network.",
                            ),
                            _asset(
                                "secure-access",
                                "Migration guide",
                                "Share it with the customer's security lead.",
                                "document",
                                "presentation",
                            ),
                        ],
                    ),
                    (
                        "Bundling with Threat Intel",
                        5,
                        [
                            _text(
                                "This year's promoted bundles are Edge Firewall with Threat Intel and Secure "
                                "Access with Threat Intel, with an extra 5% partner discount."
                            ),
                            _note("Bundle discounts stack with deal registration, not with other promotions."),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "objection-handling",
        "title": "Handling objections",
        "summary": "A method that works for any objection, and answers to the ones you hear every week.",
        "level": "advanced",
        "estimated_minutes": 70,
        "prerequisites": ["sdwan-selling"],
        "audience": {"roles": ["sales"]},
        "bank": "objections",
        "final_quiz": {
            "title": "Objection handling: final quiz",
            "questions_per_attempt": 6,
            "time_limit_minutes": 15,
            "late_submission": "grade",
        },
        "modules": [
            (
                "A method for any objection",
                "Listen, acknowledge, explore, respond.",
                None,
                [
                    (
                        "Listen, acknowledge, explore, respond",
                        8,
                        [
                            _list(
                                "Four steps, in this order:",
                                "<b>Listen</b> to the whole objection without interrupting.",
                                "<b>Acknowledge</b> it: 'That's a fair concern.'",
                                "<b>Explore</b> with a question: 'Compared to what?'",
                                "<b>Respond</b> with evidence, then check: 'Does that answer it?'",
                                ordered=True,
                            ),
                        ],
                    ),
                    (
                        "Objections are buying signals",
                        5,
                        [
                            _text(
                                "Customers who have decided not to buy stop talking. An objection is a "
                                "request for information or reassurance: a sign of interest."
                            ),
                            _tip("Write down the objections you hear; the same five come back every week."),
                        ],
                    ),
                ],
            ),
            (
                "Price and budget",
                "'Too expensive', 'no budget', and discounts that keep your margin.",
                {"title": "Price objections quiz", "questions_per_attempt": 3},
                [
                    (
                        "'It's too expensive'",
                        6,
                        [
                            _text(
                                "Ask 'Compared to what?' The answer tells you the reference point: a "
                                "competitor's quote, last year's budget, or doing nothing."
                            ),
                            _asset(
                                "edge-firewall",
                                "Objection handling",
                                "Use it when the customer compares costs.",
                                "document",
                            ),
                        ],
                    ),
                    (
                        "'We have no budget this year'",
                        6,
                        [
                            _text(
                                "Show savings that pay for the project within the budget year, or phase the "
                                "rollout across two budget years."
                            ),
                        ],
                    ),
                    (
                        "Discounting without losing margin",
                        7,
                        [
                            _text(
                                "Never give without getting. Trade a discount for a longer term, a larger "
                                "volume, an earlier signature or a reference case."
                            ),
                            _warning(
                                "Discounts above your approved level need the vendor's approval before you quote them."
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Incumbents and risk",
                "Happy customers of other vendors, fear of migration, and waiting.",
                {"title": "Incumbent objections quiz", "questions_per_attempt": 3, "attempt_limit": 2},
                [
                    (
                        "'We're happy with our current vendor'",
                        6,
                        [
                            _text(
                                "Ask what they would improve if they could change one thing. There is always "
                                "something; that is where your offer starts."
                            ),
                        ],
                    ),
                    (
                        "'Migration is too risky'",
                        7,
                        [
                            _text(
                                "Propose a pilot at two sites with agreed exit criteria, and show the "
                                "migration guide and a reference customer of the same size."
                            ),
                            _asset(
                                "sd-wan",
                                "Migration guide",
                                "Show it when migration worries come up.",
                                "document",
                                "presentation",
                            ),
                        ],
                    ),
                    (
                        "'Let's wait for the next release'",
                        5,
                        [
                            _text(
                                "Explain what waiting costs them, and that upgrades are included in the "
                                "subscription: buying now does not lock them out of the next release."
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "deal-registration",
        "title": "Deal registration, step by step",
        "summary": "Protect your opportunities and earn the extra discount: rules, process and conflicts.",
        "level": "beginner",
        "estimated_minutes": 35,
        "audience": EVERYONE,
        "bank": "deal-registration",
        "modules": [
            (
                "How deal registration protects you",
                "What registration gives you, and which deals qualify.",
                {"title": "Deal registration basics", "questions_per_attempt": 4, "shuffle_questions": False},
                [
                    (
                        "What registration gives you",
                        5,
                        [
                            _text(
                                "An approved registration gives you an extra discount on that opportunity "
                                "and protects it from other partners for 90 days."
                            ),
                        ],
                    ),
                    (
                        "Eligibility rules",
                        6,
                        [
                            _list(
                                "A deal qualifies when:",
                                "it is new business or an expansion, not a renewal;",
                                "you have met the customer and qualified the need;",
                                "no other partner has registered it.",
                            ),
                            _note("Renewals stay with the partner of record; they need no registration."),
                        ],
                    ),
                ],
            ),
            (
                "Registering and tracking a deal",
                "The portal, approval and expiry, and conflicts.",
                {"title": "Registration process quiz", "questions_per_attempt": 3},
                [
                    (
                        "Registering in the portal",
                        6,
                        [
                            _text(
                                "Give the customer's name and address, the estimated value and close date, "
                                "and the products proposed. Approval usually takes two business days."
                            ),
                            _tip("Register as soon as the opportunity is qualified: it is first come, first served."),
                        ],
                    ),
                    (
                        "Approval, extensions and expiry",
                        5,
                        [
                            _text(
                                "A registration is valid for 90 days. Ask for one 30-day extension before it "
                                "expires if the close date moves."
                            ),
                        ],
                    ),
                    (
                        "Conflicts between partners",
                        6,
                        [
                            _text(
                                "When two partners register the same opportunity, the first approved "
                                "registration wins, unless the customer names another partner in writing."
                            ),
                            _asset(
                                "cloud-gateway", "Sales playbook", "The program rules in full.", "link", "document"
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "mdf-usage",
        "title": "Getting the most from MDF",
        "summary": "How market development funds accrue, what they pay for, and how to get claims paid.",
        "level": "intermediate",
        "estimated_minutes": 50,
        "audience": {"min_tier": "gold", "roles": ["marketing"]},
        "bank": "mdf",
        "final_quiz": {"title": "MDF: final quiz", "attempt_limit": 3},
        "modules": [
            (
                "How MDF works",
                "Accrual, eligible activities and pre-approval.",
                {"title": "MDF basics quiz", "questions_per_attempt": 3, "pass_mark": 67},
                [
                    (
                        "Accrual and allocation",
                        5,
                        [
                            _text(
                                "MDF accrues as a percentage of your quarterly sales and is allocated each "
                                "half-year. Unused funds are forfeited at the end of the half-year."
                            ),
                            _warning("Plan activities early: funds left at the end of June or December are lost."),
                        ],
                    ),
                    (
                        "What MDF pays for",
                        6,
                        [
                            _list(
                                "Eligible activities include:",
                                "joint webinars and events for prospects;",
                                "trade-show booths featuring our products;",
                                "digital advertising and e-mail campaigns.",
                            ),
                            _note("Salaries, office costs and gifts are not eligible."),
                        ],
                    ),
                    (
                        "Pre-approval",
                        4,
                        [
                            _text(
                                "Submit each activity in the portal at least 30 days before it starts, with "
                                "its goal, audience and budget."
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Running a funded campaign",
                "Plan a campaign that qualifies, and co-brand it right.",
                None,
                [
                    (
                        "Planning a campaign that qualifies",
                        7,
                        [
                            _text(
                                "Pick one product and one audience. A webinar on ransomware recovery for "
                                "mid-market IT managers beats a general 'security update'."
                            ),
                            _asset(
                                "backup-vault",
                                "Partner pitch deck",
                                "A starting point for your campaign.",
                                "presentation",
                            ),
                        ],
                    ),
                    (
                        "Co-branding rules",
                        5,
                        [
                            _text(
                                "Use the logos exactly as supplied in the brand kit; only your own elements "
                                "may change."
                            ),
                            _asset(
                                "backup-vault",
                                "Co-branding guidelines",
                                "Logos and colours, to use as supplied.",
                                "brand_kit",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Claiming and proving results",
                "Proof of performance and deadlines.",
                {"title": "MDF claims quiz", "questions_per_attempt": 3},
                [
                    (
                        "Proof of performance",
                        5,
                        [
                            _text(
                                "Each activity has its proof: attendee list and recording for a webinar, "
                                "photos and leads for a trade show, impressions and clicks for ads."
                            ),
                        ],
                    ),
                    (
                        "Claim deadlines and common rejections",
                        5,
                        [
                            _text(
                                "File claims within 60 days of the activity's end. Most rejections are for "
                                "missing proof of performance or activities that were not pre-approved."
                            ),
                            _tip("Collect the proof during the activity, not afterwards."),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "technical-onboarding",
        "title": "Technical onboarding for partner engineers",
        "summary": "Build your lab, deploy Edge Firewall and SD-WAN, and work with support.",
        "level": "intermediate",
        "estimated_minutes": 120,
        "audience": {"partner_types": ["reseller", "msp", "si", "isv"], "roles": ["technical"]},
        "bank": "technical",
        "final_quiz": {"title": "Technical onboarding: final quiz", "questions_per_attempt": 8, "pass_mark": 75},
        "modules": [
            (
                "Your lab",
                "Licences and a reference lab, safely isolated.",
                None,
                [
                    (
                        "Requesting your not-for-resale licences",
                        4,
                        [
                            _text(
                                "Silver partners and above request not-for-resale licences in the portal. "
                                "They are for your own lab only."
                            ),
                            _warning("Customer pilots use evaluation licences, never lab licences."),
                        ],
                    ),
                    (
                        "Building the reference lab",
                        12,
                        [
                            _text(
                                "Two Edge Firewall appliances, two SD-WAN edges and a Cloud Gateway in your "
                                "cloud account reproduce most customer designs."
                            ),
                            _asset(
                                "edge-firewall",
                                "Reference architecture",
                                "Follow it when you build the lab.",
                                "document",
                                "image",
                            ),
                        ],
                    ),
                    (
                        "Lab safety: never on the production network",
                        3,
                        [
                            _text(
                                "Keep the lab on an isolated network with its own internet link. Lab "
                                "experiments have taken down more than one partner's office."
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Deploying Edge Firewall",
                "First boot, policies and upgrades.",
                {"title": "Edge Firewall deployment quiz", "questions_per_attempt": 4},
                [
                    (
                        "First boot and zero-touch provisioning",
                        8,
                        [
                            _list(
                                "Zero-touch provisioning needs only:",
                                "power and an internet link at the site;",
                                "the serial number registered to the customer's tenant;",
                                "a configuration template assigned in the console.",
                            ),
                            _asset(
                                "edge-firewall",
                                "Quick-start guide",
                                "Go through it before your first deployment.",
                                "video",
                            ),
                        ],
                    ),
                    (
                        "Policy design basics",
                        10,
                        [
                            _text(
                                "Group rules by application, not by port, and log denied traffic during "
                                "rollout. Tighten from a known baseline, never from 'allow any'."
                            ),
                        ],
                    ),
                    (
                        "Upgrades and rollback",
                        6,
                        [
                            _text(
                                "The previous image stays on the appliance. If validation fails after an "
                                "upgrade, roll back in one step from the console."
                            ),
                            _tip("Schedule upgrades in the customer's change window and test in your lab first."),
                        ],
                    ),
                ],
            ),
            (
                "SD-WAN in practice",
                "Underlay, overlay and application steering.",
                {"title": "SD-WAN practice quiz", "questions_per_attempt": 3},
                [
                    (
                        "Overlay and underlay",
                        7,
                        [
                            _text(
                                "The underlay is the physical links: broadband, LTE, MPLS. The overlay is the "
                                "encrypted tunnels SD-WAN builds over them."
                            ),
                            _asset(
                                "sd-wan", "Reference architecture", "Use it to explain overlay and underlay.", "image"
                            ),
                        ],
                    ),
                    (
                        "Application steering",
                        8,
                        [
                            _text(
                                "SD-WAN measures latency, jitter and loss on each link and chooses a link per "
                                "application. Voice and video get the best link; backups take what is left."
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Support and escalation",
                "Opening cases that get solved fast.",
                None,
                [
                    (
                        "Opening a support case",
                        5,
                        [
                            _text(
                                "Include the serial number, software version, steps to reproduce and a "
                                "diagnostic bundle ('Collect diagnostics' in the console)."
                            ),
                        ],
                    ),
                    (
                        "Escalation paths and response times",
                        5,
                        [
                            _text(
                                "Priority-1 cases are answered within one hour, around the clock. Escalate "
                                "through your partner manager if a case stalls."
                            ),
                            _note("Call for priority-1 cases; do not rely on e-mail alone."),
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "key": "renewals",
        "title": "Winning renewals",
        "summary": "Work renewals early, expand at renewal, and save the ones at risk.",
        "level": "intermediate",
        "estimated_minutes": 45,
        "prerequisites": ["deal-registration"],
        "audience": {"partner_types": ["reseller", "msp", "distributor"], "roles": ["sales"]},
        "bank": "renewals",
        "modules": [
            (
                "The renewal calendar",
                "Why renewals matter, and when to start.",
                {"title": "Renewal calendar quiz", "questions_per_attempt": 3},
                [
                    (
                        "Why renewals are your best margin",
                        5,
                        [
                            _text(
                                "Renewals cost little to sell and carry renewal incentives: they are your "
                                "most profitable deals."
                            ),
                        ],
                    ),
                    (
                        "Working 120 days out",
                        6,
                        [
                            _text(
                                "Start 120 days before the end date: check usage, book a review with the "
                                "customer and send the quote by day 60."
                            ),
                            _tip("The portal's renewal report lists every subscription ending in the next 180 days."),
                        ],
                    ),
                ],
            ),
            (
                "Expanding at renewal",
                "Co-terming, upgrades and at-risk renewals.",
                {"title": "Expansion quiz", "questions_per_attempt": 4},
                [
                    (
                        "Co-terming and true-ups",
                        6,
                        [
                            _text(
                                "Align the end dates of the customer's subscriptions to one date. Add-ons "
                                "bought mid-term are billed pro rata."
                            ),
                        ],
                    ),
                    (
                        "Upselling to the next bundle",
                        6,
                        [
                            _text(
                                "Renewal is the moment to propose the next bundle, with usage data that shows "
                                "the need."
                            ),
                            _asset(
                                "threat-intel",
                                "Pricing guide",
                                "Use it when you propose the next bundle.",
                                "price_list",
                            ),
                        ],
                    ),
                    (
                        "Saving an at-risk renewal",
                        7,
                        [
                            _list(
                                "Watch for the signals:",
                                "usage has dropped;",
                                "your champion has left;",
                                "support escalations are open.",
                            ),
                            _text(
                                "Offer a health check with the customer's team and bring in the vendor's "
                                "customer success manager."
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
]

TIER_RANKS = {None: 0, "registered": 10, "silver": 20, "gold": 30, "platinum": 40}


def _covers(asset_audience: dict, course_audience: dict) -> bool:
    """Whether everyone the course is for may also see the asset."""
    if TIER_RANKS[asset_audience.get("min_tier")] > max(TIER_RANKS[course_audience.get("min_tier")], 10):
        return False
    for name in ("partner_types", "regions", "roles"):
        wanted = set(asset_audience.get(name) or ())
        if wanted and not (course_audience.get(name) and set(course_audience[name]) <= wanted):
            return False
    return True


def _asset_picker(assets: list[dict], today: datetime):
    """Choose demo assets for lesson blocks: live, not expiring soon, seen by the course's audience, never twice."""
    soon = today + timedelta(days=60)
    usable = [
        a
        for a in assets
        if a["state"] == "live"
        and not a.get("go_live_at")
        and not a.get("translation_of")
        and (not a.get("expire_at") or datetime.fromisoformat(a["expire_at"]) > soon)
    ]
    used: set[str] = set()

    def pick(product: str, topic: str, types: tuple[str, ...], *, audience: dict) -> str:
        def rank(asset):
            restrictions = sum(bool(value) for value in asset["audience"].values())
            return (
                not _covers(asset["audience"], audience),
                asset["type"] not in types,
                topic not in asset["title"],
                restrictions,
                asset["key"],
            )

        candidates = [a for a in usable if product in a["products"] and a["key"] not in used]
        chosen = min(candidates, key=rank)
        used.add(chosen["key"])
        return chosen["key"]

    return pick


def demo_course_sections(*, assets: list[dict]) -> dict:
    """Manifest sections ``question_banks``, ``quizzes`` and ``courses``; lesson assets come from ``assets``."""
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    pick = _asset_picker(assets, today)
    banks = [
        {"key": f"demo-bank-{key}", "name": name, "description": description, "questions": questions}
        for key, (name, description, questions) in BANKS.items()
    ]
    quizzes, courses = [], []
    for n, spec in enumerate(COURSES):
        course_key = f"demo-course-{spec['key']}"
        bank_key = f"demo-bank-{spec['bank']}"
        modules = []
        for m, (title, summary, quiz, lessons) in enumerate(spec["modules"]):
            module = {"title": title, "summary": summary, "lessons": []}
            if quiz:
                quiz_key = f"{course_key}-m{m + 1}-quiz"
                quizzes.append({"key": quiz_key, "bank": bank_key, **quiz})
                module["quiz"] = quiz_key
            for lesson_title, minutes, body in lessons:
                blocks = [
                    {**block, "asset": pick(*block["asset"], audience=spec["audience"])}
                    if block["type"] == "asset"
                    else block
                    for block in body
                ]
                module["lessons"].append({"title": lesson_title, "estimated_minutes": minutes, "body": blocks})
            modules.append(module)
        course = {
            "key": course_key,
            "title": spec["title"],
            "summary": spec["summary"],
            "level": spec["level"],
            "estimated_minutes": spec["estimated_minutes"],
            "prerequisites": [f"demo-course-{key}" for key in spec.get("prerequisites", [])],
            "audience": spec["audience"],
            "owner": OWNERS[n % len(OWNERS)],
            "review_by": (today + timedelta(days=30 + 20 * n)).date().isoformat(),
            "state": "live",
            "modules": modules,
        }
        if final := spec.get("final_quiz"):
            final_key = f"{course_key}-final-quiz"
            quizzes.append({"key": final_key, "bank": bank_key, **final})
            course["final_quiz"] = final_key
        courses.append(course)
    return {"question_banks": banks, "quizzes": quizzes, "courses": courses}


# --- learners' progress --------------------------------------------------------------------------------------

#: How far a demo learner gets in a course they enrol in, with weights; courses others require are finished more.
PLANS = {"complete": 3, "partial": 5, "started": 2}
PLANS_OF_PREREQUISITES = {"complete": 6, "partial": 3, "started": 1}
#: The demo user whose token ``make demo`` prints shows a bit of everything.
DEMO_USER_PLANS = {
    "demo-course-product-fundamentals": "complete",
    "demo-course-deal-registration": "complete",
    "demo-course-sdwan-selling": "partial",
    "demo-course-security-positioning": "started",
    "demo-course-mdf-usage": "partial",
    "demo-course-renewals": "partial",
}


class _Clock:
    """Moments in the past, moving forward a little with each learner action."""

    def __init__(self, start: datetime):
        self.now = start

    def tick(self, rng: random.Random, low: int = 5, high: int = 90) -> datetime:
        self.now += timedelta(minutes=rng.randint(low, high))
        return self.now


def _answers(attempt, *, right: bool, rng: random.Random) -> dict:
    """Answers to every question of an attempt: the correct choices, or (mostly) wrong ones."""
    answers = {}
    for question in attempt.questions:
        correct = [c["id"] for c in question["choices"] if c["correct"]]
        wrong = [c["id"] for c in question["choices"] if not c["correct"]]
        answers[str(question["id"])] = correct if right or not wrong or rng.random() < 0.3 else [rng.choice(wrong)]
    return answers


def _take_quiz(user, quiz, course, clock: _Clock, rng: random.Random, *, fail_first: bool, give_up: bool) -> bool:
    """One attempt at ``quiz``, or a failed one then a passed one; whether it was passed."""
    from .services import CourseError, quiz_attempt_start, quiz_attempt_submit

    for right in [False, True] if fail_first else [not give_up]:
        try:
            attempt, _created = quiz_attempt_start(user=user, quiz=quiz, course=course, now=clock.tick(rng), rng=rng)
        except CourseError:  # no attempts left
            return False
        answers = _answers(attempt, right=right, rng=rng)
        attempt, _graded = quiz_attempt_submit(
            user=user, attempt_id=attempt.pk, answers=answers, now=clock.tick(rng, 3, 12)
        )
        if attempt.passed:
            return True
    return False


def _take_course(user, course, plan: str, clock: _Clock, rng: random.Random) -> None:
    """Lessons in order, each module's quiz after its lessons, the final quiz last; ``plan`` says how far."""
    from .models import CourseModule, Lesson
    from .services import lesson_complete, lesson_open

    modules = list(CourseModule.objects.filter(course=course).select_related("quiz").order_by("sort_order", "pk"))
    lessons = list(
        Lesson.objects.filter(module__course=course)
        .select_related("module__course")
        .order_by("module__sort_order", "module_id", "sort_order", "pk")
    )
    if plan == "started":
        lesson_open(user=user, lesson=lessons[0], now=clock.tick(rng))
        return
    stop_after = len(lessons) if plan == "complete" else rng.randint(1, len(lessons) - 1)
    done = 0
    for module in modules:
        for lesson in [lesson for lesson in lessons if lesson.module_id == module.pk]:
            if done == stop_after:
                return
            lesson_complete(user=user, lesson=lesson, now=clock.tick(rng))
            done += 1
        if module.quiz and not _take_quiz(
            user,
            module.quiz,
            course,
            clock,
            rng,
            fail_first=rng.random() < 0.3,
            give_up=plan == "partial" and rng.random() < 0.4,
        ):
            return
    if course.final_quiz:
        _take_quiz(user, course.final_quiz, course, clock, rng, fail_first=rng.random() < 0.35, give_up=False)


def _prerequisites_first(courses: list) -> list:
    """The courses ordered so that each comes after those it requires (there are no cycles: the importer checks)."""
    ordered, placed = [], set()
    requires = {course.pk: {p.pk for p in course.prerequisites.all()} & {c.pk for c in courses} for course in courses}
    while len(ordered) < len(courses):
        ready = [c for c in courses if c.pk not in placed and requires[c.pk] <= placed]
        ordered += ready
        placed |= {c.pk for c in ready}
    return ordered


def demo_learners(*, demo_user: str, seed: int = 2026, learners: int = 40, rng=None) -> list:
    """The partner users ``demo_course_progress`` moves through courses: ``demo_user`` and a fixed sample."""
    rng = rng or random.Random(seed)
    users = list(
        get_user_model()
        .objects.filter(is_active=True, partner_membership__partner__is_active=True)
        .order_by("username")
    )
    others = [user for user in users if user.username != demo_user]
    return [user for user in users if user.username == demo_user] + rng.sample(others, min(learners - 1, len(others)))


@transaction.atomic
def demo_course_progress(*, demo_user: str, seed: int = 2026, learners: int = 40) -> dict:
    """Enrol ``learners`` demo partner users (``demo_user`` first) in demo courses they may see, and progress.

    Everything goes through ``courses.services``. Only courses a learner is not enrolled in yet are
    touched, and each (learner, course) has its own random stream, so a re-run adds nothing.
    Answers counts of what was made.
    """
    from .models import Course, Enrollment, LessonCompletion, QuizAttempt
    from .services import CourseError, course_enroll

    rng = random.Random(seed)
    chosen = demo_learners(demo_user=demo_user, seed=seed, learners=learners, rng=rng)
    courses = _prerequisites_first(
        list(Course.objects.filter(key__startswith="demo-course-").prefetch_related("prerequisites").order_by("key"))
    )
    required = {p.pk for course in courses for p in course.prerequisites.all()}
    follow_ups = {course.pk for course in courses if course.prerequisites.all()}
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    before = (Enrollment.objects.count(), LessonCompletion.objects.count(), QuizAttempt.objects.count())
    for user in chosen:
        visible = set(Course.objects.visible_to(user).values_list("pk", flat=True))
        enrolled = set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))
        user_rng = random.Random(f"{seed}:{user.username}")
        # 8 courses of at most a week each: the last action is still days before today.
        clock = _Clock(today - timedelta(days=user_rng.randint(70, 120)))
        eagerness = user_rng.choice([0.3, 0.5, 0.7])
        for course in courses:
            # Each (learner, course) has its own random stream: the same on every run, whatever ran before.
            course_rng = random.Random(f"{seed}:{user.username}:{course.key}")
            clock.now += timedelta(days=course_rng.randint(0, 5), hours=course_rng.randint(0, 8))
            if user.username == demo_user:
                plan = DEMO_USER_PLANS.get(course.key)
            elif course_rng.random() < (0.8 if course.pk in follow_ups else eagerness):  # learners follow tracks
                plans = PLANS_OF_PREREQUISITES if course.pk in required else PLANS
                plan = course_rng.choices(list(plans), weights=list(plans.values()))[0]
            else:
                plan = None
            if plan is None or course.pk not in visible or course.pk in enrolled:
                continue
            try:
                course_enroll(user=user, course=course, now=clock.tick(course_rng))
            except CourseError:  # its prerequisites are not completed
                continue
            _take_course(user, course, plan, clock, course_rng)
    after = (Enrollment.objects.count(), LessonCompletion.objects.count(), QuizAttempt.objects.count())
    return {
        "enrolments": after[0] - before[0],
        "lesson completions": after[1] - before[1],
        "quiz attempts": after[2] - before[2],
    }
