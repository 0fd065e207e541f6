"""Label Studio brush masks: the RLE that BrushLabels results carry, to and from numpy.

    from nblabel import brush
    rle = brush.mask_to_rle(mask)              # mask: H x W (bool or 0-255) -> LS "rle" list
    mask = brush.rle_to_mask(rle, height, width)   # -> H x W uint8 alpha mask (255 = painted)
"""

from .results._rle import decode, encode, mask_to_rle, rle_to_mask

__all__ = ["decode", "encode", "mask_to_rle", "rle_to_mask"]
