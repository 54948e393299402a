// bottleneck/light.js is the same Bottleneck without Redis clustering (what Octokit's
// throttling plugin itself uses); the package only ships types for its main entry.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
