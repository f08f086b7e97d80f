"""Building blocks of the tiertop AWS simulator (see tests/sim/README.md)."""
