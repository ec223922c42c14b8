"""ictk: paperwork of innovation consortia (创新联合体) in Guangxi and Liuzhou."""

__version__ = "0.1.0"
