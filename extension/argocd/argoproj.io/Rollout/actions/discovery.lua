-- Rollout Kit: discovery of the `undo` action for argoproj.io/Rollout. Installed through
-- argocd-cm with mergeBuiltinActions, so Argo CD's built-in Rollout actions stay as they are and
-- this script only adds `undo`. Argo CD runs custom scripts without the string and math
-- libraries: only base functions are used.
local actions = {}
local annotations = nil
if obj.metadata ~= nil then
  annotations = obj.metadata.annotations
end

-- An undo already requested and not yet carried out by the controller.
local pending = annotations ~= nil and annotations["rollout-kit.io/undo-to-revision"] ~= nil

local revisionParam = { ["name"] = "revision" }
local current = nil
if annotations ~= nil and annotations["rollout.argoproj.io/revision"] ~= nil then
  current = tonumber(annotations["rollout.argoproj.io/revision"])
end
if current ~= nil and current > 1 and current % 1 == 0 then
  -- The revision before the current one; it may be gone, the controller then refuses the undo.
  revisionParam["default"] = tostring(current - 1)
end

actions["undo"] = {
  -- No status: the controller has not seen the Rollout yet, so there is nothing to go back to.
  ["disabled"] = pending or obj.status == nil,
  ["displayName"] = "Undo to revision",
  ["iconClass"] = "fa fa-fw fa-rotate-left",
  ["params"] = { revisionParam },
}
return actions
