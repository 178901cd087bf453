// LossLab in WebKit (WebKitGTK's MiniBrowser, Safari's engine family, on a private Xvfb display,
// driven by WebKitWebDriver and selenium-webdriver): the cross-browser suite in suite.mjs. Run
// through tests/browsers.sh.
import { launchWebKit } from './drivers.mjs';
import { browserSuite } from './suite.mjs';

browserSuite('WebKit', 'webkit', launchWebKit);
