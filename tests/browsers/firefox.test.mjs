// LossLab in Firefox (Debian's firefox-esr, headless, driven by puppeteer-core over WebDriver
// BiDi): the cross-browser suite in suite.mjs. Run through tests/browsers.sh.
import { launchFirefox } from './drivers.mjs';
import { browserSuite } from './suite.mjs';

browserSuite('Firefox', 'firefox', launchFirefox);
