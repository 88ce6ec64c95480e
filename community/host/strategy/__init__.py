"""Strategy: the brand's marketing initiatives on the push-to-pull spectrum (placed by the
hosts, measured from what followed) and the community's retention and growth.

``links``: what an initiative may link to beyond community's own objects (registered by
``purpose`` and ``partners``); ``initiatives``: where each initiative landed; ``retention``:
the growth figures; ``services`` and ``forms``: the hosts' writes. docs/strategy.md says
how each figure is counted.
"""
