# Makes receipt-mono-gb2312.ttf from wqy-microhei.ttc: the Mono face, cut to ASCII, Latin-1, general
# and CJK punctuation, full-width forms and every GB2312 character (7,904 in all), renamed
# "Receipt Mono". resvg reads a font file again for every text chunk it lays out, so a receipt drawn
# from the 5 MB collection took seconds; from this 1.3 MB file it takes a fraction. Characters
# outside it (e.g. 龘, GBK only) still come from the full collection, loaded beside it.
# Run with Debian's python3-fonttools:  /usr/bin/python3 resources/fonts/make-subset.py
import os
from fontTools import subset
from fontTools.ttLib import TTCollection

here = os.path.dirname(os.path.abspath(__file__))
chars = set(chr(c) for c in range(0x20, 0x7F)) | set(chr(c) for c in range(0xA0, 0x100))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
for lo, hi in ((0x2000, 0x2070), (0x3000, 0x3040), (0xFF00, 0xFFF0)):
    chars |= set(chr(c) for c in range(lo, hi))

font = TTCollection(os.path.join(here, 'wqy-microhei.ttc')).fonts[1]  # WenQuanYi Micro Hei Mono
options = subset.Options()
options.layout_features = ['*']
options.name_IDs = ['*']
options.notdef_outline = True
options.hinting = False
sub = subset.Subsetter(options)
sub.populate(text=''.join(chars))
sub.subset(font)
names = {1: 'Receipt Mono', 3: 'Receipt Mono (subset of WenQuanYi Micro Hei Mono 0.2.0-beta)', 4: 'Receipt Mono', 6: 'ReceiptMono', 16: 'Receipt Mono'}
for record in font['name'].names:
    if record.nameID in names:
        record.string = names[record.nameID]
font.save(os.path.join(here, 'receipt-mono-gb2312.ttf'))
print(len(chars), 'characters')
