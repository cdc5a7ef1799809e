/**
 * The shape of one prepared record, which the transform writes and Linear Learner's `feature_dim` must name:
 * NumArticles, Actor1Geo_Lat, Actor1Geo_Long, Actor2Geo_Lat, Actor2Geo_Long, then one one-hot column per selected
 * event code. It imports nothing, so the settings check loads no transform code with it.
 */
export const NUMERIC_FEATURE_COUNT = 5;
/** The most frequent event codes of the first training year become the one-hot columns. */
export const EVENT_CODE_COUNT = 20;
export const FEATURE_COUNT = NUMERIC_FEATURE_COUNT + EVENT_CODE_COUNT;
