"""Rules: every condition of the policy texts as a coded check; see ``toolkit.rules.engine``."""
