// The ESC/POS decoder used by the tests and the fake printer. It lives in the app
// (electron/devices/receipt/decode.ts) because the virtual printer and the receipt preview
// decode the same bytes; this module is the test-side entry point.
export {
  EscposParser,
  decodeEscpos,
  decodedToText,
  type DecodedJob,
  type DecodedLine,
  type DecodedItem,
  type DecodedQr,
  type DecodedBarcode,
  type DecodedImage,
  type DecodedDrawerKick,
  type RealtimeQuery,
} from '../../electron/devices/receipt/decode';
