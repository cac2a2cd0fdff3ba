mock_provider "aws" {}

variables {
  account_id = "444455556666"
  flow       = "both"
  phase      = "install"
}

run "install_phase_grants_the_published_policy_and_membership" {
  command = apply

  assert {
    condition     = contains(jsondecode(output.installer_policy_json).Statement[0].Action, "kinesis:*") && contains(jsondecode(output.installer_policy_json).Statement[0].Action, "redshift:*")
    error_message = "the both flow has the batch and the real-time services"
  }
  assert {
    condition     = jsondecode(output.installer_policy_json).Statement[1].Sid == "SubscribeMarketplaceImages"
    error_message = "batch setups subscribe to Marketplace images"
  }
  assert {
    condition     = length(aws_iam_user_group_membership.installer) == 1
    error_message = "the installer is in the group during install"
  }
  assert {
    condition     = jsondecode(output.self_service_policy_json).Statement[5].Sid == "DenyAllExceptListedIfNoMFA"
    error_message = "MFA is enforced by default"
  }
  assert {
    condition     = jsondecode(output.self_service_policy_json).Statement[1].Resource == ["arn:aws:iam::444455556666:user/$${aws:username}", "arn:aws:iam::444455556666:user/*/$${aws:username}"]
    error_message = "the self-service policy names the caller's own user under any IAM path, with IAM's policy variable intact"
  }
  assert {
    condition     = jsondecode(output.self_service_policy_json).Statement[2].Resource == ["arn:aws:iam::444455556666:mfa/*"]
    error_message = "users create a virtual MFA device of any name, as in AWS's example"
  }
  assert {
    condition     = keys(jsondecode(output.self_service_policy_json).Statement[5].Condition) == ["BoolIfExists"]
    error_message = "the installer's access keys are held to MFA too (BoolIfExists)"
  }
}

run "services_the_scp_denies_are_left_out" {
  command = apply

  variables {
    scp_services = ["cloudformation", "cloudfront", "ec2", "elasticbeanstalk", "elasticmapreduce", "iam", "redshift", "s3"]
  }

  assert {
    condition     = !contains(jsondecode(output.installer_policy_json).Statement[0].Action, "es:*") && !contains(jsondecode(output.installer_policy_json).Statement[0].Action, "rds:*")
    error_message = "es and rds are denied by the SCP and so not granted"
  }
  assert {
    condition     = length(jsondecode(output.installer_policy_json).Statement) == 1
    error_message = "no Marketplace statement when the SCP denies aws-marketplace"
  }
}

run "operate_phase_removes_the_installer_from_the_group" {
  command = apply

  variables {
    phase = "operate"
  }

  assert {
    condition     = length(aws_iam_user_group_membership.installer) == 0 && length(aws_iam_user.installer) == 1
    error_message = "in the operate phase the user stays but leaves the group"
  }
  assert {
    condition     = aws_iam_user.installer[0].force_destroy
    error_message = "the installer can be deleted later even with its own MFA device or access key"
  }
}

run "operate_phase_can_delete_the_installer" {
  command = apply

  variables {
    phase                      = "operate"
    delete_user_when_operating = true
  }

  assert {
    condition     = length(aws_iam_user.installer) == 0 && output.user_name == null
    error_message = "the installer user is deleted"
  }
}

run "rejects_a_wildcard_user_name" {
  command = plan

  variables {
    user_name = "setup*"
  }

  expect_failures = [var.user_name]
}
