// The voice clips (resources/voice/*.wav) are imported by the renderer's bundler as data URLs (?inline).
declare module '*.wav?inline' {
  const url: string;
  export default url;
}
