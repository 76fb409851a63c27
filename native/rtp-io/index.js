'use strict';
// Loads the addon built by node-gyp at install (build/Release/rtp_io.node).
module.exports = require('./build/Release/rtp_io.node');
