"""Policy terms and rules of the e-commerce credit system, free of any framework.

Everything a reader who knows the policy looks for is here: the enumerations with their
Chinese terms (``enums``), the USCC check (``uscc``) and the GB/T 2260 divisions (``regions``).
"""
