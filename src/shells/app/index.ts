import type { Probot } from 'probot';
import { serviceGateApp } from './app.js';

/** Entry point for `probot run` (npm start): configuration comes from the environment. */
export default (app: Probot) => {
  const appId = Number(process.env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0)
    throw new Error(
      'APP_ID must be set to the GitHub App id (a number). See README: Running the App.',
    );
  return serviceGateApp({ appId, botLogin: process.env.BOT_LOGIN })(app);
};
