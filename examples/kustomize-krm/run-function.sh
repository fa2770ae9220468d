#!/bin/sh
# kustomize resolves exec paths against the kustomization directory; this forwards to the installed function.
exec auth0-eventstream-fn "$@"
