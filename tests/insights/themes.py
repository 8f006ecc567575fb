"""Done-when fixture: six jobs the sample policy does not cover, each asked by six people.

Written as people type (different words per person, frames, a relayed ask naming a
colleague), not to fit the clusterer; `THEME_LABELS` is what a reviewer would accept.
"""

from __future__ import annotations

THEMES: dict[str, list[str]] = {
    "voice": [
        "Is there an AI tool that can do voice-overs for our training videos?",
        "I need a synthetic narrator voice for the onboarding course videos",
        "can AI read my script out loud so I can add narration to a tutorial video",
        "what can I use to generate a voiceover for safety training clips? Priya Raman asked me",
        "looking for text to speech with a natural voice for e-learning modules",
        "we want an AI voice to narrate our product how-to videos instead of recording ourselves",
    ],
    "ocr": [
        "how can I scan handwritten delivery notes into the system",
        "is there a tool to read handwriting on paper delivery slips and turn it into data",
        "Can AI digitise the handwritten proof-of-delivery forms drivers bring back?",
        "need OCR for scribbled delivery receipts, typing them in takes hours",
        "convert photos of hand-filled delivery dockets to a spreadsheet",
        "Tom Becker wants to extract text from handwritten goods-received notes, what is approved?",
    ],
    "staffing": [
        "Can I use AI to forecast how many warehouse staff we need next month?",
        "predict staffing levels for the distribution centre around peak season",
        "tool to plan warehouse shifts based on expected order volume",
        "any way to estimate how many pickers to schedule per day from order forecasts",
        "we need demand-based workforce planning for the warehouse team",
        "help working out headcount for the warehouse during the holiday rush",
    ],
    "music": [
        "Can I generate background music for a marketing video?",
        "is there an approved AI to compose royalty-free music for our ads",
        "need a jingle for the company podcast intro",
        "what can I use to create soundtrack music for social media clips",
        "AI that makes music tracks for product launch videos?",
        "looking for an AI music generator for background audio in webinars",
    ],
    "cad": [
        "can AI turn my product sketches into 3D models",
        "generate a 3D model of our new chair design for the catalogue",
        "is there a tool to create 3D renders of packaging prototypes",
        "I want to make 3D printable parts from a photo",
        "need AI help building CAD models for spare parts",
        "what's approved for producing 3D product visualisations from drawings?",
    ],
    "routes": [
        "optimize delivery routes for our van drivers",
        "Is there an AI tool that plans the most efficient route for multiple drop-offs?",
        "can we use AI to sequence delivery stops and cut fuel costs",
        "route planning for field technicians visiting customer sites each day",
        "help me find the shortest route for tomorrow's deliveries across the city",
        "AI for scheduling and routing our courier fleet",
    ],
}

#: People named in the asks: never in a label, an example or the digest.
NAMES = ("Priya", "Raman", "Tom", "Becker")

THEME_LABELS = {
    "voice": "Voice-overs for training videos",
    "ocr": "Scanning handwritten delivery notes",
    "staffing": "Forecasting how many warehouse staff",
    "music": "Generating background music for marketing video",
    "cad": "Turning product sketches into 3D models",
    "routes": "Optimizing delivery routes for van drivers",
}
