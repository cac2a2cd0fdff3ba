mock_provider "aws" {
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::444455556666:policy/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::444455556666:role/mock" }
  }
}

variables {
  account_id = "444455556666"
  region     = "eu-west-1"
  group_name = "snowplow-spark-launchers"
  path       = "/snowplow/"
  node_buckets = {
    log          = "acme-snowplow-logs"
    raw_in       = "acme-snowplow-raw"
    processing   = "acme-snowplow-processing"
    enriched_out = "acme-snowplow-enriched"
    bad_rows     = "acme-snowplow-bad-rows"
  }
  create_instance_profile = true
}

run "passes_one_role_to_ec2_and_touches_only_flintrock_instances" {
  command = apply

  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Resource if s.Sid == "PassSparkNodeRole"][0] == ["arn:aws:iam::444455556666:role/snowplow/snowplow-spark-node"]
    error_message = "the launcher passes the one node role"
  }
  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Condition.StringEquals["iam:PassedToService"] if s.Sid == "PassSparkNodeRole"][0] == "ec2.amazonaws.com"
    error_message = "and only to EC2"
  }
  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Condition.StringLike["ec2:ResourceTag/flintrock-role"] if s.Sid == "ManageOwnFlintrockInstances"][0] == ["master", "slave"]
    error_message = "stop and terminate only Flintrock's instances"
  }
  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Resource if s.Sid == "MoveFlintrockInstancesToBaseGroup"][0] == ["arn:aws:ec2:eu-west-1:444455556666:security-group/*"]
    error_message = "destroy may move instances to Flintrock's base group (ModifyInstanceAttribute is authorized on the group too)"
  }
  assert {
    condition     = contains([for s in jsondecode(output.launcher_policy_json).Statement : s.Resource if s.Sid == "LaunchFlintrockInstances"][0], "arn:aws:ec2:eu-west-1:444455556666:placement-group/*")
    error_message = "--ec2-placement-group launches into a placement group"
  }
  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Resource if s.Sid == "TagInstancesAtLaunch"][0] == ["arn:aws:ec2:eu-west-1:444455556666:instance/*"]
    error_message = "only instances are tagged, as Flintrock does"
  }
  assert {
    condition     = output.instance_profile_name == "snowplow-spark-node" && length(aws_iam_group_policy_attachment.launchers) == 1
    error_message = "the node profile and the people's group are created"
  }
}

run "rejects_a_wildcard_node_role" {
  command = plan

  variables {
    node_role_name = "*"
  }

  expect_failures = [var.node_role_name]
}

run "an_existing_profile_keeps_its_own_path" {
  command = apply

  variables {
    create_instance_profile = false
    node_buckets            = null
    instance_profile_name   = "EMR_EC2_DefaultRole"
    node_role_name          = "EMR_EC2_DefaultRole"
  }

  assert {
    condition     = [for s in jsondecode(output.launcher_policy_json).Statement : s.Resource if s.Sid == "GetSparkInstanceProfile"][0] == ["arn:aws:iam::444455556666:instance-profile/EMR_EC2_DefaultRole"]
    error_message = "seed 003's profile lives at /, whatever the project's path"
  }
}
