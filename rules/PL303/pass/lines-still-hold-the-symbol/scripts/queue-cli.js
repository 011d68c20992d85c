#!/usr/bin/env node
'use strict';

function cmdNext(count) {
  return [];
}

module.exports = { cmdNext };
